using Seq2Seq.Configuration;
using System.Text.Json;
using System.Text.Json.Serialization;
using Seq2Seq.IO;

namespace Seq2Seq.Onnx;

/// <summary>
/// <c>manifest.json</c> of an exported ONNX model folder: what the folder holds and how to drive it. A reader checks
/// <see cref="Format"/> and <see cref="FormatVersion"/> before anything else; the version changes whenever a graph's
/// inputs or outputs or the meaning of a field change.
/// </summary>
public sealed record OnnxManifest
{
    public const string FormatName = "seq2seq.net-onnx";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;
    public int FormatVersion { get; init; } = CurrentVersion;
    public string Producer { get; init; } = "";
    /// <summary>rnn or transformer.</summary>
    public string ModelType { get; init; } = "";
    /// <summary>Human-readable parts, e.g. "encoder=lstm bidirectional=true decoder=lstm attention=general/global input_feeding=true".</summary>
    public string Architecture { get; init; } = "";
    public int Opset { get; init; } = OnnxGraph.Opset;
    public string EncoderFile { get; init; } = "encoder.onnx";
    public string DecoderStepFile { get; init; } = "decoder_step.onnx";
    public OnnxGraphContract Graphs { get; init; } = new();
    public OnnxSpecialIds SpecialIds { get; init; } = new();
    public int SourceVocabSize { get; init; }
    public int TargetVocabSize { get; init; }
    /// <summary>The network's trainable parameters (tied weights counted once); 0 when not recorded.</summary>
    public long Parameters { get; init; }
    /// <summary>Vocabulary and tokeniser files in the folder (the run directory's names, so the run's tokenisers load from it).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
    public OnnxDecodingDefaults Decoding { get; init; } = new();
    public OnnxQuantization Quantization { get; init; } = new();
    /// <summary>The checkpoint the weights came from (file name) and the run's name.</summary>
    public string Checkpoint { get; init; } = "";
    public string RunName { get; init; } = "";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <exception cref="InvalidDataException">Not a manifest of this format, or of a newer version (the message names the file and field).</exception>
    public static OnnxManifest Load(string path)
    {
        OnnxManifest? m;
        try { m = JsonSerializer.Deserialize<OnnxManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
        if (m is null || m.Format != FormatName)
            throw new InvalidDataException($"{path}: field format: expected \"{FormatName}\", found \"{m?.Format}\"");
        if (m.FormatVersion < 1 || m.FormatVersion > CurrentVersion)
            throw new InvalidDataException($"{path}: field format_version: {m.FormatVersion} is not supported (this build reads 1 to {CurrentVersion})");
        return m;
    }
}

/// <summary>Inputs and outputs of the two graphs (see <see cref="OnnxSignature"/> for their shapes and roles).</summary>
public sealed record OnnxGraphContract
{
    public IReadOnlyList<string> EncoderInputs { get; init; } = [OnnxSignature.Source, OnnxSignature.SourceLengths];
    /// <summary>Encoder outputs kept per sentence and fed to every step (src_lengths is fed too).</summary>
    public IReadOnlyList<string> Memory { get; init; } = [];
    /// <summary>Encoder outputs that start the decoder state; each step returns "next_" + name.</summary>
    public IReadOnlyList<string> State { get; init; } = [];
    public IReadOnlyList<string> StepInputs { get; init; } = [];
    public IReadOnlyList<string> StepOutputs { get; init; } = [];
    /// <summary>Every memory and state tensor has the batch (one row per sentence or hypothesis) as axis 0.</summary>
    public int BatchAxis { get; init; }
    public bool Attention { get; init; }
    /// <summary>The step outputs a hybrid-attention gate.</summary>
    public bool Gate { get; init; }

    public static OnnxGraphContract Of(OnnxSignature s) => new()
    {
        Memory = s.Memory,
        State = s.State,
        StepInputs = new[] { OnnxSignature.Previous, OnnxSignature.Step, OnnxSignature.SourceLengths }.Concat(s.Memory).Concat(s.State).ToList(),
        StepOutputs = new[] { OnnxSignature.LogProbs }.Concat(s.Attention ? [OnnxSignature.AttentionOutput] : [])
            .Concat(s.Gate ? [OnnxSignature.GateOutput] : []).Concat(s.State.Select(x => OnnxSignature.NextPrefix + x)).ToList(),
        Attention = s.Attention,
        Gate = s.Gate,
    };

    public OnnxSignature ToSignature() => new(Memory, State, Attention, Gate);
}

public sealed record OnnxSpecialIds
{
    public int Unk { get; init; } = Data.Vocabulary.Unk;
    public int Pad { get; init; } = Data.Vocabulary.Pad;
    public int Bos { get; init; } = Data.Vocabulary.Bos;
    public int Eos { get; init; } = Data.Vocabulary.Eos;
}

/// <summary>The run's decoding section (as its config.yaml has it), and the longest source and output the model can take.</summary>
public sealed record OnnxDecodingDefaults
{
    public DecodingConfig Search { get; init; } = new();
    /// <summary>Position-table limits (int.MaxValue when unlimited).</summary>
    public int MaxSourceLength { get; init; } = int.MaxValue;
    public int MaxTargetLength { get; init; } = int.MaxValue;
}

/// <summary>none, or int8: linear-layer weights int8 symmetric per output channel, activations quantised per call
/// (DynamicQuantizeLinear + MatMulInteger); embeddings, normalisation, recurrent encoder operators and softmax fp32.</summary>
public sealed record OnnxQuantization
{
    public string Mode { get; init; } = "none";
    public string Weights { get; init; } = "";
    public string Activations { get; init; } = "";

    public static OnnxQuantization Int8 { get; } = new()
    {
        Mode = "int8",
        Weights = "linear layers: int8 holding 7-bit values, symmetric, one scale per output channel (max |w| / 63)",
        Activations = "uint8, one scale and zero point per call (DynamicQuantizeLinear); embeddings, layer norm, the encoder's LSTM/GRU operators and softmax stay fp32",
    };
}
