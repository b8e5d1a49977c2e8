using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Runs;

namespace Seq2Seq;

/// <summary>
/// A trained model loaded from its run directory, ready to translate and score on TorchSharp:
/// <code>using var model = Seq2SeqModel.Load("runs/cmudict-g2p"); var t = model.Translate("hello", beam: 5);</code>
/// Tokenising, batching, searching and building translations are <see cref="TranslationModel"/>'s, shared with the
/// ONNX Runtime model.
/// </summary>
public sealed class Seq2SeqModel : TranslationModel
{
    Seq2SeqModel(string runDir, RunConfig config, Vocabulary sourceVocab, Vocabulary targetVocab, Seq2SeqNetwork network, string checkpoint)
        : base(runDir, config, sourceVocab, targetVocab, new TorchDecodingBackend(network), checkpoint)
    {
        Network = network;
    }

    public Seq2SeqNetwork Network { get; }

    public override string BackendName => Backends.Torch;

    public override long? ParameterCount => Network.ParameterCount();

    /// <summary>Loads the run's config, vocabularies and weights (the best checkpoint, else the newest intact step checkpoint).</summary>
    /// <param name="warn">Receives a message for each corrupt checkpoint passed over.</param>
    /// <param name="device"><c>cpu</c> (the default), <c>cuda</c> or <c>cuda:N</c>: where the model and every tensor of
    /// translation and scoring live.</param>
    /// <exception cref="FileNotFoundException">The folder is not a run directory or holds no intact checkpoint.</exception>
    /// <exception cref="ConfigException">The device is malformed or not available to libtorch.</exception>
    public static Seq2SeqModel Load(string runDir, string? checkpoint = null, int threads = 0, Action<string>? warn = null,
        string device = DeviceNames.Cpu)
    {
        var target = ComputeDevice.Resolve(device, "--device");
        var run = new RunDirectory(runDir);
        if (!File.Exists(run.Config))
            throw new FileNotFoundException($"{runDir}: not a run directory (no config.yaml)", run.Config);
        if (File.Exists(Path.Combine(runDir, "manifest.json")) && !Directory.Exists(run.CheckpointDir))
            throw new InvalidDataException($"{runDir}: an ONNX export folder (manifest.json, no checkpoints), not a run directory; " +
                "decode it with the ONNX backend (s2s translate/score/serve --backend onnx)");
        var config = ConfigLoader.Load(run.Config);
        if (threads > 0 || config.Training.Threads > 0)
            TorchSharp.torch.set_num_threads(threads > 0 ? threads : config.Training.Threads);
        var src = Vocabulary.Load(run.SourceVocab);
        var tgt = Vocabulary.Load(run.TargetVocab);
        var network = ModelBuilder.Build(config.Model, src.Count, tgt.Count);
        // An explicit checkpoint must load; otherwise the best, then the step checkpoints newest first, passing over
        // (with a warning) any that is truncated or corrupt.
        checkpoint ??= Runs.Checkpoint.FirstIntact(
            (File.Exists(run.BestCheckpoint) ? [run.BestCheckpoint] : Array.Empty<string>()).Concat(run.StepCheckpoints().Select(c => c.Path)),
            warn ?? (_ => { }))
            ?? throw new FileNotFoundException($"{runDir}: no intact checkpoint in {run.CheckpointDir}", run.BestCheckpoint);
        Runs.Checkpoint.LoadWeights(checkpoint, network);   // into the model built on the CPU, then moved
        network.MoveTo(target);
        network.eval();
        return new Seq2SeqModel(runDir, config, src, tgt, network, checkpoint);
    }

    /// <summary>Loads several runs as one model that decodes with the mean of their log-probabilities (an
    /// <see cref="Ensemble"/>). The runs must share vocabularies and tokenisers; config, tokenisers and decoding
    /// settings come from the first.</summary>
    /// <exception cref="ArgumentException">The runs' vocabularies or tokenisers differ.</exception>
    /// <param name="device">Where every member (and every tensor of decoding) lives, as for <see cref="Load"/>.</param>
    public static Seq2SeqModel LoadEnsemble(IReadOnlyList<string> runDirs, int threads = 0, Action<string>? warn = null,
        string device = DeviceNames.Cpu)
    {
        if (runDirs.Count == 1) return Load(runDirs[0], null, threads, warn, device);
        var members = new List<Seq2SeqModel>();
        try
        {
            foreach (var dir in runDirs) members.Add(Load(dir, null, threads, warn, device));
            var first = members[0];
            foreach (var m in members.Skip(1))
            {
                string? differs = !m.SourceVocab.Tokens.SequenceEqual(first.SourceVocab.Tokens) ? "source vocabulary"
                    : !m.TargetVocab.Tokens.SequenceEqual(first.TargetVocab.Tokens) ? "target vocabulary"
                    : Tokenization(m.Config.Data) != Tokenization(first.Config.Data) ? "tokeniser settings"
                    : !TokenizerFiles(m.RunDir).SequenceEqual(TokenizerFiles(first.RunDir)) ? "tokeniser files (BPE merges, SentencePiece models, jieba dictionary)"
                    : null;
                if (differs is not null)
                    throw new ArgumentException($"{m.RunDir} and {first.RunDir} cannot form an ensemble: their {differs} differ " +
                        "(ensemble members must be trained with the same data settings and vocabularies)");
            }
            var ensemble = new Ensemble(members.Select(m => m.Network).ToList(),
                members.Select(m => (long)m.Config.Model.OutputSize()).ToList());
            ensemble.eval();
            return new Seq2SeqModel(first.RunDir, first.Config, first.SourceVocab, first.TargetVocab, ensemble,
                string.Join(", ", members.Select(m => m.Checkpoint)));
        }
        catch
        {
            foreach (var m in members) m.Dispose();
            throw;
        }
    }

    static (string, string, string, string, string, bool) Tokenization(DataConfig d) =>
        (d.SourceTokenizer, d.TargetTokenizer, d.SourceBpeBase, d.TargetBpeBase, d.ProtectedPattern, d.Lowercase);

    /// <summary>The tokeniser files a run keeps (BPE merges, SentencePiece models, jieba dictionary), by name and content.</summary>
    static IEnumerable<(string Name, string Hash)> TokenizerFiles(string runDir) =>
        Directory.GetFiles(runDir).Select(Path.GetFileName).OfType<string>()
            .Where(n => n.StartsWith("bpe.", StringComparison.Ordinal) || n.EndsWith(".spm.model", StringComparison.Ordinal) || n == "jieba.user.dict")
            .Order(StringComparer.Ordinal)
            .Select(n => (n, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(runDir, n))))));

    public override void Dispose() => Network.Dispose();
}
