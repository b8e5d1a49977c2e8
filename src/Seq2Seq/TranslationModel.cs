using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Runs;

namespace Seq2Seq;

/// <summary>
/// What translating and scoring need besides the network, shared by every way of running it: a trained model's
/// config, vocabularies and tokenisers (read from a run directory or an ONNX export folder, which keep them under
/// the same names), and the path text → tokens → truncation → length-sorted batches → search over an
/// <see cref="IDecodingBackend"/> → detokenised n-best lists with attention. <see cref="Seq2SeqModel"/> runs the
/// network on TorchSharp, <c>Onnx.OnnxModel</c> on ONNX Runtime without libtorch.
/// </summary>
public abstract class TranslationModel : IDisposable
{
    /// <param name="directory">The folder holding config.yaml, src.vocab, tgt.vocab and the tokeniser files.</param>
    protected TranslationModel(string directory, RunConfig config, Vocabulary sourceVocab, Vocabulary targetVocab,
        IDecodingBackend backend, string checkpoint)
    {
        RunDir = directory;
        Config = config;
        SourceVocab = sourceVocab;
        TargetVocab = targetVocab;
        Backend = backend;
        Checkpoint = checkpoint;
        var folder = new RunDirectory(directory);
        SourceTokenizer = RunTokenizers.Create(config.Data, TextSide.Source, folder);
        TargetTokenizer = RunTokenizers.Create(config.Data, TextSide.Target, folder);
    }

    /// <summary>The folder the model was loaded from (a run directory or an ONNX export folder).</summary>
    public string RunDir { get; }
    /// <summary>The run's config; its decoding section may be replaced after loading (translate's --beam-stop).</summary>
    public RunConfig Config { get; set; }
    public Vocabulary SourceVocab { get; }
    public Vocabulary TargetVocab { get; }
    public ITokenizer SourceTokenizer { get; }
    public ITokenizer TargetTokenizer { get; }
    /// <summary>What runs the network for the searches and the scorer.</summary>
    public IDecodingBackend Backend { get; }
    /// <summary>The checkpoint file the weights came from.</summary>
    public string Checkpoint { get; }

    /// <summary>torch or onnx (<see cref="Backends"/>).</summary>
    public abstract string BackendName { get; }

    /// <summary>Trainable parameters (tied weights counted once), where known.</summary>
    public abstract long? ParameterCount { get; }

    /// <summary>Receives warnings such as a truncated over-long input (default: none).</summary>
    public Action<string>? Warn { get; set; }

    /// <summary>The longest input translated whole: decoding.max_input_length, and for a model with a position table
    /// (CNN encoder, learned Transformer positions) that table's size.</summary>
    public int MaxSourceLength => Math.Min(Config.Decoding.MaxInputLength, Backend.MaxSourceLength);

    /// <summary>The longest output (without &lt;/s&gt;) the model can decode.</summary>
    public int MaxTargetLength => Backend.MaxTargetLength;

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
        var hyps = CorpusDecoder.Decode(Backend, ids, options, d.BatchSize, abandoned: abandoned is null ? null : j => abandoned(nonEmpty[j]));
        // With the attention, a hybrid model's gates too: from the search where the backend's step gives them, else
        // from one teacher-forced pass over every candidate.
        var forced = attention && Config.Model.HasHybridAttention() && hyps.Any(h => h.Any(c => c.Gates is null))
            ? SequenceScorer.Score(Backend, hyps.SelectMany((h, j) => h.Select(_ => ids[j])).ToList(),
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
                var g = forced is not null ? forced[next++].Gates?[..h.Attention!.Length] : h.Gates;
                return new TranslationCandidate(TargetTokenizer.Detokenize(outTokens), outTokens, h.LogProb, h.Score, h.Attention, g);
            }).ToList());
        }
        return results;
    }

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
        return SequenceScorer.Score(Backend, src, tgt, Config.Training.BatchTokens);
    }

    public abstract void Dispose();
}
