using Seq2Seq.Configuration;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

/// <summary>Proves the Transformer learns: a small one masters the reverse task, and the trained run loads and translates.</summary>
public class TransformerLearningTests
{
    [Fact]
    public void ReverseTaskReaches95PercentExactMatch()
    {
        // Short sequences and many distinct pairs: a Transformer has to work out each source's length to reverse it,
        // and with few pairs it memorises them before it generalises.
        using var task = new SyntheticTask(reverse: true, maxLen: 6, train: 20000);
        var config = task.Config(maxSteps: 300, c => c with
        {
            Model = c.Model with
            {
                Type = "transformer",
                Transformer = new TransformerConfig
                {
                    EncoderLayers = 2, DecoderLayers = 2, ModelSize = 64, Heads = 4, FeedForwardSize = 128,
                    Dropout = 0.0, AttentionDropout = 0.0,
                },
            },
            // Noam with factor 0.17 peaks at 0.17 · 64^-0.5 · 50^-0.5 ≈ 3e-3 after 50 steps; the best of three validations is tested.
            Training = c.Training with { BatchTokens = 1024, Schedule = "noam", LearningRate = 0.17, WarmupSteps = 50, AdamBeta2 = 0.98, ValidateEvery = 100 },
        });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        double exact = task.GreedyExactMatch(config.RunDir);
        Assert.True(exact >= 0.95, $"exact match {exact:P1} < 95%");
    }
}
