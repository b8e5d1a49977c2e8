using System.Diagnostics;
using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.IO;

namespace Seq2Seq.Runs;

/// <summary>
/// Puts the files the run's tokenisers need into the run directory at the start of training, so the run is
/// self-contained: a copy of each SentencePiece model and of the jieba user dictionary, and the BPE merges learned
/// from the training data. On resume the files already there are used as they are (merges are never re-learned).
/// </summary>
public static class RunTokenizerFiles
{
    /// <summary>Checks the tokeniser settings and writes the missing (or, unless <paramref name="reuse"/>, all) files.</summary>
    /// <param name="train">The training pairs (BPE merges are learned from them).</param>
    /// <param name="reuse">Resuming: keep files already in the run directory.</param>
    /// <exception cref="ConfigException">A required file setting is empty, its file is missing, or bpe_merges is not positive.</exception>
    public static void Prepare(DataConfig data, RunDirectory run, IReadOnlyList<SentencePair> train, bool reuse, Action<string> log)
    {
        Validate(data);
        Directory.CreateDirectory(run.Path);
        if (!string.IsNullOrEmpty(data.JiebaUserDict)) Copy(data.JiebaUserDict, run.JiebaUserDict, reuse);
        foreach (var side in new[] { TextSide.Source, TextSide.Target })
            if (Tokenizers.KindOf(data, side) == SentencePieceTokenizer.KindName)
                Copy(ModelSetting(data, side).Value, run.SentencePieceModel(side), reuse);

        bool joint = Tokenizers.JointBpe(data);
        var bpeSides = new[] { TextSide.Source, TextSide.Target }.Where(s => Tokenizers.KindOf(data, s) == BpeTokenizer.KindName).ToList();
        var groups = joint ? [bpeSides] : bpeSides.Select(s => new List<TextSide> { s }).ToList();
        foreach (var group in groups)
        {
            string path = run.BpeMerges(group[0], joint);
            if (reuse && File.Exists(path)) { log($"bpe: using the merges in {path}"); continue; }
            var clock = Stopwatch.StartNew();
            var words = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var side in group)
            {
                string? userDict = string.IsNullOrEmpty(data.JiebaUserDict) ? null : run.JiebaUserDict;
                var baseTokenizer = Tokenizers.BpeBase(data, side, userDict);
                var texts = train.Select(p => side == TextSide.Source ? p.Source : p.Target);
                foreach (var (w, n) in BpeLearner.CountWords(texts.Select(baseTokenizer.Tokenize)))
                    words[w] = words.GetValueOrDefault(w) + n;
            }
            var merges = BpeLearner.Learn(words, data.BpeMerges);
            merges.Save(path);
            log($"bpe: learned {merges.Merges.Count} merges from {words.Count} word types in {clock.Elapsed.TotalSeconds:F1} s -> {path}");
        }
    }

    /// <summary>Checks the settings the tokeniser kinds need, naming the key of any that is wrong.</summary>
    /// <exception cref="ConfigException">See <see cref="Prepare"/>.</exception>
    public static void Validate(DataConfig data)
    {
        foreach (var side in new[] { TextSide.Source, TextSide.Target })
        {
            string kind = Tokenizers.KindOf(data, side);
            string kindKey = side == TextSide.Source ? "data.source_tokenizer" : "data.target_tokenizer";
            if (kind == SentencePieceTokenizer.KindName)
            {
                var (key, value) = ModelSetting(data, side);
                if (string.IsNullOrEmpty(value))
                    throw new ConfigException($"{key}: required when {kindKey} is sentencepiece (the path of a SentencePiece .model file)");
                if (!File.Exists(value)) throw new ConfigException($"{key}: file not found: {value}");
            }
            if (kind == BpeTokenizer.KindName && data.BpeMerges <= 0)
                throw new ConfigException($"data.bpe_merges: must be a positive number of merges when {kindKey} is bpe; got {data.BpeMerges}");
        }
        if (!string.IsNullOrEmpty(data.JiebaUserDict) && !File.Exists(data.JiebaUserDict))
            throw new ConfigException($"data.jieba_user_dict: file not found: {data.JiebaUserDict}");
        if (!string.IsNullOrEmpty(data.ProtectedPattern))
        {
            try { ProtectedTokenizer.Compile(data.ProtectedPattern); }
            catch (ArgumentException e) { throw new ConfigException($"data.protected_pattern: not a valid .NET regular expression ({e.Message})"); }
        }
    }

    static (string Key, string Value) ModelSetting(DataConfig data, TextSide side) => side == TextSide.Source
        ? ("data.source_sentencepiece_model", data.SourceSentencepieceModel)
        : ("data.target_sentencepiece_model", data.TargetSentencepieceModel);

    static void Copy(string from, string to, bool reuse)
    {
        if (reuse && File.Exists(to)) return;
        if (Path.GetFullPath(from) == Path.GetFullPath(to)) return;
        byte[] bytes = File.ReadAllBytes(from);
        AtomicFile.Write(to, s => s.Write(bytes));
    }
}
