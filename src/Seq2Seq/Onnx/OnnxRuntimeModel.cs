using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Seq2Seq.Onnx;

/// <summary>
/// An exported model's encoder and decoder-step graphs in ONNX Runtime sessions (CPU), driven through the contract
/// of <see cref="OnnxSignature"/>: <see cref="Encode"/> a batch of id sequences once, then <see cref="Step"/> one
/// output token at a time; rows of the memory and state are selected with <see cref="OnnxRows.SelectRows"/>.
/// No libtorch is involved.
/// </summary>
public sealed class OnnxRuntimeModel : IDisposable
{
    readonly InferenceSession encoder;
    readonly InferenceSession step;
    readonly HashSet<string> stepInputs;

    /// <param name="encoderModel">Serialised encoder ModelProto.</param>
    /// <param name="stepModel">Serialised decoder-step ModelProto.</param>
    /// <param name="threads">Intra-op threads (0: ONNX Runtime's default).</param>
    /// <param name="maxSourceLength">The longest source the graphs take (a position table's size); longer ones are refused.</param>
    public OnnxRuntimeModel(byte[] encoderModel, byte[] stepModel, OnnxSignature signature, int threads = 0, int maxSourceLength = int.MaxValue)
    {
        Signature = signature;
        MaxSourceLength = maxSourceLength;
        using var options = Options(threads);
        encoder = new InferenceSession(encoderModel, options);
        // S2S_ONNX_OPTIMIZED_DIR (diagnostics): write the step graph as ONNX Runtime optimised it, to see its fusions.
        if (Environment.GetEnvironmentVariable("S2S_ONNX_OPTIMIZED_DIR") is { Length: > 0 } dump)
            options.OptimizedModelFilePath = Path.Combine(dump, "decoder_step.optimized.onnx");
        step = new InferenceSession(stepModel, options);
        stepInputs = step.InputMetadata.Keys.ToHashSet(StringComparer.Ordinal);
    }

    public OnnxSignature Signature { get; }

    public int MaxSourceLength { get; }

    /// <summary>Opens an exported model folder (<see cref="OnnxModelExport"/>): its manifest and both graphs.</summary>
    /// <exception cref="InvalidDataException">The folder's manifest is missing, of another format or a newer version.</exception>
    public static OnnxRuntimeModel Load(string directory, int threads = 0)
    {
        string path = Path.Combine(directory, "manifest.json");
        if (!File.Exists(path)) throw new InvalidDataException($"{directory}: not an exported ONNX model (no manifest.json)");
        var manifest = OnnxManifest.Load(path);
        return new OnnxRuntimeModel(File.ReadAllBytes(Path.Combine(directory, manifest.EncoderFile)),
            File.ReadAllBytes(Path.Combine(directory, manifest.DecoderStepFile)), manifest.Graphs.ToSignature(), threads,
            manifest.Decoding.MaxSourceLength);
    }

    static SessionOptions Options(int threads)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads > 0)
        {
            options.IntraOpNumThreads = threads;
            options.InterOpNumThreads = 1;
        }
        return options;
    }

    /// <summary>Encodes id sequences (padded here with &lt;pad&gt;): the memory (including src_lengths) and the
    /// initial decoder state, one row per sequence; the caller disposes both.</summary>
    public (OnnxRows Memory, OnnxRows State) Encode(IReadOnlyList<int[]> sources)
    {
        int batch = sources.Count, srcLen = sources.Max(s => s.Length);
        if (srcLen > MaxSourceLength)
            throw new ArgumentException($"a source of {srcLen} tokens is longer than the model's position table ({MaxSourceLength}); truncate it first");
        if (sources.Any(s => s.Length == 0)) throw new ArgumentException("an empty source cannot be encoded (translate it to an empty output without decoding)");
        var ids = new long[batch * srcLen];
        Array.Fill(ids, Data.Vocabulary.Pad);
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < sources[b].Length; i++) ids[b * srcLen + i] = sources[b][i];
        var lengths = sources.Select(s => (long)s.Length).ToArray();
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [batch, srcLen]);
        using var lengthsValue = OrtValue.CreateTensorValueFromMemory(lengths, [batch]);
        var outputs = Run(encoder, [(OnnxSignature.Source, idsValue), (OnnxSignature.SourceLengths, lengthsValue)],
            Signature.Memory.Concat(Signature.State).ToList());
        var memory = Signature.Memory.ToDictionary(m => m, m => outputs[m]);
        memory[OnnxSignature.SourceLengths] = NativeTensor.Of(lengths, batch);
        return (new OnnxRows(memory), new OnnxRows(Signature.State.ToDictionary(s => s, s => outputs[s])));
    }

    /// <summary>One decoder step for each row from its previous token (&lt;s&gt; at step 0). The inputs stay the
    /// caller's; the output's tensors and next state are the caller's to dispose.</summary>
    public OnnxStepOutput Step(long[] previous, int stepIndex, OnnxRows memory, OnnxRows state)
    {
        using var previousValue = OrtValue.CreateTensorValueFromMemory(previous, [previous.Length]);
        using var stepValue = OrtValue.CreateTensorValueFromMemory(new long[] { stepIndex }, [1]);
        var inputs = new List<(string, OrtValue)> { (OnnxSignature.Previous, previousValue), (OnnxSignature.Step, stepValue) };
        foreach (var (name, t) in memory.Tensors.Concat(state.Tensors))
            if (stepInputs.Contains(name)) inputs.Add((name, t.Value));
        var outNames = new List<string> { OnnxSignature.LogProbs };
        if (Signature.Attention) outNames.Add(OnnxSignature.AttentionOutput);
        if (Signature.Gate) outNames.Add(OnnxSignature.GateOutput);
        outNames.AddRange(Signature.State.Select(s => OnnxSignature.NextPrefix + s));
        var outputs = Run(step, inputs, outNames);
        var next = Signature.State.ToDictionary(s => s, s => outputs[OnnxSignature.NextPrefix + s]);
        return new OnnxStepOutput(outputs[OnnxSignature.LogProbs], outputs.GetValueOrDefault(OnnxSignature.AttentionOutput),
            outputs.GetValueOrDefault(OnnxSignature.GateOutput), new OnnxRows(next));
    }

    // The outputs are ONNX Runtime's own buffers, handed over as they are (no copy).
    static Dictionary<string, NativeTensor> Run(InferenceSession session, IReadOnlyList<(string Name, OrtValue Value)> inputs, IReadOnlyList<string> outputNames)
    {
        using var runOptions = new RunOptions();
        var results = session.Run(runOptions, inputs.Select(i => i.Name).ToList(), inputs.Select(i => i.Value).ToList(), outputNames);
        var output = new Dictionary<string, NativeTensor>(StringComparer.Ordinal);
        try
        {
            for (int i = 0; i < outputNames.Count; i++) output[outputNames[i]] = NativeTensor.Own(results[i]);
            return output;
        }
        catch
        {
            foreach (var t in output.Values) t.Dispose();
            for (int i = output.Count + 1; i < results.Count; i++) results[i].Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        encoder.Dispose();
        step.Dispose();
    }
}

/// <summary>One decoder step's outputs: log-probabilities [rows, vocab], attention weights [rows, src_len] (null
/// without attention), hybrid-attention gates [rows] (null for other models), the next state. Disposing it frees the
/// first three; the state is the caller's to keep or dispose.</summary>
public sealed record OnnxStepOutput(NativeTensor LogProbs, NativeTensor? Attention, NativeTensor? Gate, OnnxRows State) : IDisposable
{
    public void Dispose()
    {
        LogProbs.Dispose();
        Attention?.Dispose();
        Gate?.Dispose();
    }
}
