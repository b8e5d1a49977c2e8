using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Models;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

public class ValidationTests
{
    /// <summary>Tokenises as "space" but gives no tokens for the text "∅", as SentencePiece normalisation can for a
    /// line of symbols it removes.</summary>
    sealed class EmptyingTokenizer : ITokenizer
    {
        readonly SpaceTokenizer inner = new(false);
        public string Kind => inner.Kind;
        public bool Lowercase => false;
        public IReadOnlyList<string> Tokenize(string text) => text == "∅" ? [] : inner.Tokenize(text);
        public string Detokenize(IReadOnlyList<string> tokens) => inner.Detokenize(tokens);
    }

    [Fact]
    public void DevPairsDroppedWhileEncodingLeaveTheOthersOnTheirOwnReferences()
    {
        using var task = new SyntheticTask(train: 800, dev: 40);
        var config = task.Config(30, c => c with { Decoding = c.Decoding with { Metric = "bleu" } });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        using var m = Seq2SeqModel.Load(config.RunDir);

        var kept = ParallelCorpusReader.ReadTsv(Path.Combine(task.Dir, "dev.tsv"), 0, 1, BadLinePolicy.Error).Pairs;
        // The same dev set with a pair of no source tokens first and one of no target tokens in the middle.
        var withDropped = kept.Take(20).Prepend(new SentencePair("∅", "w1 w2", 0)).Append(new SentencePair("w3 w4", "∅", 0)).Concat(kept.Skip(20)).ToList();
        ValidationResult Validate(IReadOnlyList<SentencePair> dev)
        {
            var tokenizer = new EmptyingTokenizer();
            var encoded = EncodedCorpus.Create(dev, tokenizer, tokenizer, m.SourceVocab, m.TargetVocab, 0);
            var data = new PreparedData(tokenizer, tokenizer, m.SourceVocab, m.TargetVocab, encoded, dev, encoded, [], 0);
            return Validation.Run(m.Network, data, m.Config);
        }
        var clean = Validate(kept);
        var shifted = Validate(withDropped);
        Assert.True(clean.ChrF > 0, "the model should get some characters right");
        Assert.Equal(clean.Loss, shifted.Loss, 6);
        Assert.Equal(clean.ChrF, shifted.ChrF);
        Assert.Equal(clean.Bleu, shifted.Bleu);
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("cnn")]
    public void DevAndTestSourcesLongerThanTheModelTakesAreCutWithAWarning(string kind)
    {
        // Training pairs of up to 6 tokens; dev and test sources of up to 12, against position tables of 8.
        using var task = new SyntheticTask(maxLen: 12, train: 600, dev: 30);
        var config = task.Config(10, c => c with
        {
            Data = c.Data with { MaxLength = 6 },
            Model = kind == "transformer"
                ? c.Model with
                {
                    Type = "transformer",
                    Transformer = new TransformerConfig
                    {
                        EncoderLayers = 1, DecoderLayers = 1, ModelSize = 32, Heads = 2, FeedForwardSize = 64, Positions = "learned", MaxPositions = 8,
                    },
                }
                : c.Model with { Encoder = c.Model.Encoder with { Type = "cnn", Layers = 2, MaxPositions = 8 } },
            Training = c.Training with { ValidateEvery = 5 },
            Decoding = c.Decoding with { Metric = "bleu", MaxLengthRatio = 0, MaxLengthOffset = 6 },
        });
        var lines = new List<string>();
        var result = Trainer.Run(config, new TrainerOptions(false, lines.Add));
        Assert.False(result.Failed, result.StopReason);
        Assert.Equal(10, result.Steps);
        Assert.Contains(lines, l => l.Contains("warning: dev sources:") && l.Contains("longer than 8 tokens") && l.Contains("cut to 8"));
        Assert.Contains(lines, l => l.Contains("warning: test sources:") && l.Contains("cut to 8 for decoding"));
        if (kind == "transformer") Assert.Contains(lines, l => l.Contains("warning: dev targets:") && l.Contains("longer than 7 tokens"));
        Assert.Equal(30, result.TestMetrics["sentences"]);
        Assert.Contains(lines, l => l.StartsWith("validation at step 10", StringComparison.Ordinal));
    }
}
