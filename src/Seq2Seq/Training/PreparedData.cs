using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Runs;

namespace Seq2Seq.Training;

/// <summary>Train/dev/test data of a run, tokenised and encoded with the run's vocabularies.</summary>
public sealed record PreparedData(
    ITokenizer SourceTokenizer, ITokenizer TargetTokenizer,
    Vocabulary SourceVocab, Vocabulary TargetVocab,
    EncodedCorpus Train, IReadOnlyList<SentencePair> Dev, EncodedCorpus DevEncoded,
    IReadOnlyList<SentencePair> Test, int SkippedLines)
{
    /// <summary>
    /// Reads and encodes the data; builds the vocabularies unless <paramref name="vocabs"/> gives them (resume). The
    /// tokenisers' files (BPE merges, SentencePiece models) are written into <paramref name="run"/> first, or, on
    /// resume, taken from there.
    /// </summary>
    public static PreparedData Load(DataConfig config, RunDirectory run, (Vocabulary Source, Vocabulary Target)? vocabs, Action<string> log)
    {
        var policy = config.BadLines == "skip" ? BadLinePolicy.Skip : BadLinePolicy.Error;
        RunTokenizerFiles.Validate(config);
        int skipped = 0;
        IReadOnlyList<SentencePair> Read(string what, string path)
        {
            if (string.IsNullOrEmpty(path)) return [];
            foreach (var file in config.Format == "aligned" ? [path + config.SourceSuffix, path + config.TargetSuffix] : new[] { path })
                if (!File.Exists(file))
                    throw new ConfigException($"data.{what}: {file} does not exist" +
                        (Path.IsPathRooted(file) ? "" : $" (relative paths are taken from the current folder, {Directory.GetCurrentDirectory()})"));
            var result = config.Format == "aligned"
                ? ParallelCorpusReader.ReadAligned(path + config.SourceSuffix, path + config.TargetSuffix, policy)
                : ParallelCorpusReader.ReadTsv(path, config.SourceColumn, config.TargetColumn, policy);
            if (result.Skipped > 0)
            {
                log($"{what}: skipped {result.Skipped} malformed line(s), e.g. {result.SkipMessages.FirstOrDefault()}");
                skipped += result.Skipped;
            }
            return result.Pairs;
        }
        if (string.IsNullOrEmpty(config.Train)) throw new ConfigException("data.train: no training data given");
        var train = Read("train", config.Train);
        var dev = Read("dev", config.Dev);
        var test = Read("test", config.Test);

        RunTokenizerFiles.Prepare(config, run, train, reuse: vocabs is not null, log);
        var srcTok = RunTokenizers.Create(config, TextSide.Source, run);
        var tgtTok = RunTokenizers.Create(config, TextSide.Target, run);
        var trainTokens = EncodedCorpus.TokenizeAll(train, srcTok, tgtTok);
        var (srcVocab, tgtVocab) = vocabs ?? BuildVocabularies(config, trainTokens);
        var trainEncoded = EncodedCorpus.Create(trainTokens, srcVocab, tgtVocab, config.MaxLength);
        var devEncoded = EncodedCorpus.Create(EncodedCorpus.TokenizeAll(dev, srcTok, tgtTok), srcVocab, tgtVocab, 0);
        log($"train: {trainEncoded.Count} pairs ({trainEncoded.DroppedByLength} skipped: longer than {config.MaxLength} tokens or empty), " +
            $"dev {dev.Count}, test {test.Count}; vocab src {srcVocab.Count} tgt {tgtVocab.Count}");
        return new PreparedData(srcTok, tgtTok, srcVocab, tgtVocab, trainEncoded, dev, devEncoded, test, skipped);
    }

    // Per side, or with joint_vocabulary one vocabulary from both sides (used, and saved, as both).
    static (Vocabulary, Vocabulary) BuildVocabularies(DataConfig config, IReadOnlyList<(IReadOnlyList<string> Source, IReadOnlyList<string> Target)> tokens)
    {
        if (config.JointVocabulary)
        {
            var joint = Vocabulary.Build(tokens.Select(p => p.Source).Concat(tokens.Select(p => p.Target)), config.MinFrequency, config.MaxVocab);
            return (joint, joint);
        }
        return (Vocabulary.Build(tokens.Select(p => p.Source), config.MinFrequency, config.MaxVocab),
                Vocabulary.Build(tokens.Select(p => p.Target), config.MinFrequency, config.MaxVocab));
    }
}
