using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Runs;

namespace Seq2Seq;

/// <summary>
/// A trained model loaded from its run directory, ready to translate and score:
/// <code>using var model = Seq2SeqModel.Load("runs/cmudict-g2p"); var t = model.Translate("hello", beam: 5);</code>
/// </summary>
public sealed class Seq2SeqModel : IDisposable
{
    Seq2SeqModel(string runDir, RunConfig config, Vocabulary sourceVocab, Vocabulary targetVocab, Seq2SeqNetwork network, string checkpoint)
    {
        RunDir = runDir;
        Config = config;
        SourceVocab = sourceVocab;
        TargetVocab = targetVocab;
        Network = network;
        Checkpoint = checkpoint;
        var run = new RunDirectory(runDir);
        SourceTokenizer = RunTokenizers.Create(config.Data, TextSide.Source, run);
        TargetTokenizer = RunTokenizers.Create(config.Data, TextSide.Target, run);
    }

    /// <summary>The run directory the model was loaded from.</summary>
    public string RunDir { get; }
    /// <summary>The run's config; its decoding section may be replaced after loading (translate's --beam-stop).</summary>
    public RunConfig Config { get; set; }
    public Vocabulary SourceVocab { get; }
    public Vocabulary TargetVocab { get; }
    public ITokenizer SourceTokenizer { get; }
    public ITokenizer TargetTokenizer { get; }
    public Seq2SeqNetwork Network { get; }
    /// <summary>The checkpoint file the weights came from.</summary>
    public string Checkpoint { get; }

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

    /// <summary>Translates one sentence (beam size from the config unless given).</summary>
    public Translation Translate(string source, int? beam = null, int nbest = 1, bool attention = false) =>
        Translate([source], beam, nbest, attention)[0];

    /// <summary>Translates many sentences in length-sorted batches; results in input order.</summary>
    /// <param name="abandoned">Per source index, checked at each decoding step: true once its result is no longer wanted
    /// (a server's cancelled request); it then leaves the batch, and its result is empty or cut short.</param>
    public IReadOnlyList<Translation> Translate(IReadOnlyList<string> sources, int? beam = null, int nbest = 1, bool attention = false,
        Func<int, bool>? abandoned = null)
    {
        var d = Config.Decoding;
        var tokens = sources.Select((s, i) => Truncate(SourceTokenizer.Tokenize(s), i)).ToList();
        // Empty inputs give empty outputs without decoding.
        var nonEmpty = Enumerable.Range(0, sources.Count).Where(i => tokens[i].Count > 0).ToList();
        var ids = nonEmpty.Select(i => SourceVocab.Encode(tokens[i])).ToList();
        var options = SearchOptions.From(d, beam, nbest, attention);
        var hyps = CorpusDecoder.Decode(Network, ids, options, d.BatchSize, abandoned: abandoned is null ? null : j => abandoned(nonEmpty[j]));
        // With the attention, a hybrid model's gates too: one teacher-forced pass over every candidate.
        var forced = attention && Config.Model.HasHybridAttention()
            ? SequenceScorer.Score(Network, hyps.SelectMany((h, j) => h.Select(_ => ids[j])).ToList(),
                hyps.SelectMany(h => h.Select(c => c.Tokens)).ToList(), Config.Training.BatchTokens, gates: true)
            : null;
        var results = sources.Select((s, i) => new Translation(s, tokens[i], [new TranslationCandidate("", [], 0, 0, null)])).ToArray();
        int next = 0;
        for (int j = 0; j < nonEmpty.Count; j++)
        {
            int i = nonEmpty[j];
            results[i] = new Translation(sources[i], tokens[i], hyps[j].Select(h =>
            {
                var outTokens = TargetVocab.Decode(h.Tokens);
                // One gate per attention row (a hypothesis cut at the length limit has no </s> row).
                var g = forced?[next++].Gates?[..h.Attention!.Length];
                return new TranslationCandidate(TargetTokenizer.Detokenize(outTokens), outTokens, h.LogProb, h.Score, h.Attention, g);
            }).ToList());
        }
        return results;
    }

    /// <summary>Receives warnings such as a truncated over-long input (default: none).</summary>
    public Action<string>? Warn { get; set; }

    /// <summary>The longest input translated whole: decoding.max_input_length, and for a model with a position table
    /// (CNN encoder, learned Transformer positions) that table's size.</summary>
    public int MaxSourceLength => Math.Min(Config.Decoding.MaxInputLength, Network.MaxSourceLength);

    IReadOnlyList<string> Truncate(IReadOnlyList<string> tokens, int index)
    {
        if (tokens.Count <= MaxSourceLength) return tokens;
        Warn?.Invoke($"input {index + 1}: {tokens.Count} tokens, truncated to the model's maximum of {MaxSourceLength}");
        return tokens.Take(MaxSourceLength).ToList();
    }

    /// <summary>log P(target | source) for each pair: total and per target token (incl. &lt;/s&gt;).</summary>
    public IReadOnlyList<SequenceScore> Score(IReadOnlyList<(string Source, string Target)> pairs)
    {
        var src = pairs.Select(p => SourceVocab.Encode(SourceTokenizer.Tokenize(p.Source))).ToList();
        var tgt = pairs.Select(p => TargetVocab.Encode(TargetTokenizer.Tokenize(p.Target))).ToList();
        return SequenceScorer.Score(Network, src, tgt, Config.Training.BatchTokens);
    }

    public void Dispose() => Network.Dispose();
}
