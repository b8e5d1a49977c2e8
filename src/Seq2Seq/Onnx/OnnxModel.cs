using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Runs;

namespace Seq2Seq.Onnx;

/// <summary>
/// An <c>s2s export --format onnx</c> folder loaded for translation and scoring on ONNX Runtime, without libtorch:
/// <code>using var model = OnnxModel.Load("exports/g2p"); var t = model.Translate("hello", beam: 5);</code>
/// Everything but running the network is <see cref="TranslationModel"/>'s, as for <see cref="Seq2SeqModel"/>; no
/// TorchSharp type is touched on this path, so the native libtorch is never loaded.
/// </summary>
public sealed class OnnxModel : TranslationModel
{
    readonly OnnxRuntimeModel runtime;

    OnnxModel(string directory, RunConfig config, Vocabulary sourceVocab, Vocabulary targetVocab, OnnxRuntimeModel runtime, OnnxManifest manifest)
        : base(directory, config, sourceVocab, targetVocab, new OnnxDecodingBackend(runtime, manifest.Decoding.MaxTargetLength),
            Path.Combine(directory, manifest.Checkpoint))
    {
        this.runtime = runtime;
        Manifest = manifest;
    }

    /// <summary>The folder's manifest (format, graphs, quantisation, the checkpoint it came from).</summary>
    public OnnxManifest Manifest { get; }

    public override string BackendName => Backends.Onnx;

    /// <summary>Recorded by the export (null for a folder exported before the count was kept).</summary>
    public override long? ParameterCount => Manifest.Parameters > 0 ? Manifest.Parameters : null;

    /// <summary>Loads an export folder: manifest, config, vocabularies, tokenisers and both graphs.</summary>
    /// <param name="threads">ONNX Runtime's intra-op threads; 0 = the config's training.threads, and if that is 0
    /// ONNX Runtime's default.</param>
    /// <exception cref="InvalidDataException">The folder is not an export (a run directory says to export it first),
    /// or its manifest is of another format or a newer version.</exception>
    public static OnnxModel Load(string directory, int threads = 0)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: no such folder");
        var folder = new RunDirectory(directory);
        string manifestPath = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifestPath))
            throw new InvalidDataException(File.Exists(folder.Config) || Directory.Exists(folder.CheckpointDir)
                ? $"{directory}: a run directory, not an ONNX export folder (no manifest.json); run `s2s export --model {directory} --format onnx --out DIR` first and pass DIR"
                : $"{directory}: not an ONNX export folder (no manifest.json); make one with `s2s export --model RUN_DIR --format onnx --out {directory}`");
        var manifest = OnnxManifest.Load(manifestPath);
        var config = ConfigLoader.Load(folder.Config);
        var src = Vocabulary.Load(folder.SourceVocab);
        var tgt = Vocabulary.Load(folder.TargetVocab);
        if (src.Count != manifest.SourceVocabSize || tgt.Count != manifest.TargetVocabSize)
            throw new InvalidDataException($"{manifestPath}: fields source_vocab_size/target_vocab_size ({manifest.SourceVocabSize}/{manifest.TargetVocabSize}) " +
                $"do not match the folder's src.vocab/tgt.vocab ({src.Count}/{tgt.Count})");
        var runtime = new OnnxRuntimeModel(File.ReadAllBytes(Path.Combine(directory, manifest.EncoderFile)),
            File.ReadAllBytes(Path.Combine(directory, manifest.DecoderStepFile)), manifest.Graphs.ToSignature(),
            threads > 0 ? threads : config.Training.Threads, manifest.Decoding.MaxSourceLength);
        try
        {
            return new OnnxModel(directory, config, src, tgt, runtime, manifest);
        }
        catch
        {
            runtime.Dispose();
            throw;
        }
    }

    public override void Dispose() => runtime.Dispose();
}
