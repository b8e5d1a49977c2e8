using System.Reflection;
using Seq2Seq.Cli.Commands;
using Seq2Seq.Configuration;
using Seq2Seq.Models;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Configuration;

/// <summary>Each set of kinds is declared once (Configuration/Kinds.cs) and read by the config's choices, the
/// builders and the FLOP count; every kind builds, and an unknown kind is an error everywhere.</summary>
public class KindsTests
{
    static IReadOnlyList<string>? ChoicesOf<T>(string property) =>
        typeof(T).GetProperty(property)!.GetCustomAttribute<ChoicesAttribute>()?.Values;

    [Fact]
    public void TheConfigChoicesAreTheDeclaredKinds()
    {
        Assert.Equal(ModelTypes.All, ChoicesOf<ModelConfig>(nameof(ModelConfig.Type)));
        Assert.Equal(EncoderTypes.All, ChoicesOf<EncoderConfig>(nameof(EncoderConfig.Type)));
        Assert.Equal(RnnCellTypes.All, ChoicesOf<DecoderConfig>(nameof(DecoderConfig.Type)));
        Assert.Equal(AttentionScores.All, ChoicesOf<DecoderConfig>(nameof(DecoderConfig.Attention)));
        Assert.Equal(AttentionTypes.All, ChoicesOf<DecoderConfig>(nameof(DecoderConfig.AttentionType)));
        Assert.Equal(AttentionTypes.Local, ChoicesOf<DecoderConfig>(nameof(DecoderConfig.HybridLocal)));
        Assert.Equal(PositionKinds.All, ChoicesOf<TransformerConfig>(nameof(TransformerConfig.Positions)));
        Assert.Equal(TokenizerKinds.All, ChoicesOf<DataConfig>(nameof(DataConfig.SourceTokenizer)));
        Assert.Equal(TokenizerKinds.All, ChoicesOf<DataConfig>(nameof(DataConfig.TargetTokenizer)));
        Assert.Equal(TokenizerKinds.BpeBases, ChoicesOf<DataConfig>(nameof(DataConfig.SourceBpeBase)));
        Assert.Equal(Schedules.All, ChoicesOf<TrainingConfig>(nameof(TrainingConfig.Schedule)));
        Assert.Equal(BestMetrics.All, ChoicesOf<TrainingConfig>(nameof(TrainingConfig.BestMetric)));
        Assert.Equal(TokenizerKinds.All, Seq2Seq.Data.Tokenizers.Kinds);
    }

    static ModelConfig Rnn(string encoder, string cell, string score, string type) => new()
    {
        Type = ModelTypes.Rnn, EmbeddingSize = 8,
        Encoder = new EncoderConfig { Type = encoder, HiddenSize = 8, Layers = 1, MaxPositions = 16 },
        Decoder = new DecoderConfig { Type = cell, HiddenSize = 8, Layers = 1, Attention = score, AttentionType = type, LocalWindow = 2 },
    };

    [Fact]
    public void EveryRnnKindBuildsAndHasAFlopCount()
    {
        foreach (string encoder in EncoderTypes.All)
            foreach (string score in AttentionScores.All)
                foreach (string type in AttentionTypes.All)
                {
                    var config = Rnn(encoder, RnnCellTypes.Gru, score, type);
                    Assert.True(ModelFlops.ForwardPerTargetToken(config, 12, 1.0, 5) > 0);
                    if (type != AttentionTypes.Global && score == AttentionScores.Additive)
                    {
                        // Local and hybrid attention take dot, general or concat: a clear error, not a silent fallback.
                        Assert.Throws<ArgumentException>(() => ModelBuilder.Build(config, 10, 12));
                        continue;
                    }
                    using var model = ModelBuilder.Build(config, 10, 12);
                    Assert.IsType<EncoderDecoder>(model);
                }
        foreach (string positions in PositionKinds.All)
        {
            var config = new ModelConfig
            {
                Type = ModelTypes.Transformer,
                Transformer = new TransformerConfig { ModelSize = 8, Heads = 2, FeedForwardSize = 16, EncoderLayers = 1, DecoderLayers = 1, Positions = positions, MaxPositions = 16 },
            };
            using var model = ModelBuilder.Build(config, 10, 12);
            Assert.IsType<Transformer>(model);
            Assert.True(ModelFlops.ForwardPerTargetToken(config, 12, 1.0, 5) > 0);
        }
    }

    [Fact]
    public void AnUnknownKindIsAnErrorEverywhere()
    {
        var good = Rnn(EncoderTypes.All[0], RnnCellTypes.Lstm, AttentionScores.General, AttentionTypes.Global);
        Assert.Throws<ArgumentException>(() => ModelBuilder.Build(good with { Type = "lstm" }, 10, 12));
        Assert.Throws<ArgumentException>(() => ModelBuilder.Build(good with { Encoder = good.Encoder with { Type = "rnn" } }, 10, 12));
        Assert.Throws<ArgumentException>(() => ModelBuilder.Build(good with { Decoder = good.Decoder with { Attention = "bilinear" } }, 10, 12));
        Assert.Throws<ArgumentException>(() => ModelBuilder.Build(good with { Decoder = good.Decoder with { AttentionType = "local" } }, 10, 12));
        Assert.Throws<ArgumentException>(() => AttentionScore.Create(AttentionScores.None, 8, 8));
        Assert.Throws<ArgumentException>(() => new PositionEmbedding("rotary", 8, 16));

        // The FLOP count names the key rather than counting an unknown attention as concat.
        var e = Assert.Throws<ArgumentException>(() =>
            ModelFlops.ForwardPerTargetToken(good with { Decoder = good.Decoder with { Attention = "bilinear" } }, 12, 1.0, 5));
        Assert.Contains("model.decoder.attention", e.Message);
        Assert.Throws<ArgumentException>(() => ModelFlops.ForwardPerTargetToken(good with { Encoder = good.Encoder with { Type = "rnn" } }, 12, 1.0, 5));
        Assert.Throws<ArgumentException>(() => ModelFlops.ForwardPerTargetToken(good with { Decoder = good.Decoder with { AttentionType = "local" } }, 12, 1.0, 5));

        var schedule = new LearningRateSchedule(new TrainingConfig { Schedule = "cosine" }, 8);
        Assert.Contains("training.schedule", Assert.Throws<ConfigException>(() => schedule.RateAt(1)).Message);
    }
}
