using Seq2Seq.Configuration;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

/// <summary>Every model variant of the family learns the reverse task (≥ 90 % exact match in a short budget).</summary>
public class VariantLearningTests
{
    [Theory]
    [InlineData("lstm", "lstm", "global", "dot")]
    [InlineData("gru", "gru", "global", "additive")]
    [InlineData("lstm", "lstm", "local-m", "general")]
    [InlineData("lstm", "lstm", "local-p", "general")]
    [InlineData("lstm", "lstm", "hybrid", "concat")]
    [InlineData("cnn", "lstm", "global", "general")]
    [InlineData("lstm", "lstm", "global", "concat")]
    public void VariantLearnsToReverse(string encoder, string decoder, string attentionType, string score)
    {
        using var task = new SyntheticTask(reverse: true);
        var config = task.Config(400, c => c with
        {
            Model = c.Model with
            {
                Encoder = c.Model.Encoder with { Type = encoder, Layers = encoder == "cnn" ? 3 : 1 },
                // local-m assumes a monotonic alignment (step t looks around source position t); reversal aligns step t
                // with position S − 1 − t, so its window must span the sentence (length ≤ 8). local-p and hybrid
                // predict the position and learn the anti-diagonal with a narrow window.
                Decoder = c.Model.Decoder with { Type = decoder, AttentionType = attentionType, Attention = score,
                    LocalWindow = attentionType == "local-m" ? 7 : 3 },
            },
        });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        double exact = task.GreedyExactMatch(config.RunDir);
        Assert.True(exact >= 0.90, $"{encoder}/{decoder}/{attentionType}/{score}: exact match {exact:P1} < 90%");
    }

    [Fact]
    public void NoAttentionBaselineLearnsToReverseShortSentences()
    {
        // Without attention the decoder sees one fixed-size summary of the source, and exact match falls with length
        // (the effect attention was introduced for): on lengths 3–8 it reaches only ≈ 70 % after 400 updates, and an
        // independent PyTorch replica of the same model does the same (bench/no-attention-reverse.py: 72 %; lengths 3–4
        // 100 %, length 8 16 %). So the baseline is held to short sentences: here 99 % after 600 updates (94–99.5 % over
        // training seeds 1–3 on another draw of the same task).
        using var task = new SyntheticTask(reverse: true, maxLen: 5);
        var config = task.Config(600, c => c with
        {
            Model = c.Model with { Decoder = c.Model.Decoder with { Attention = "none" } },
        });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        double exact = task.GreedyExactMatch(config.RunDir);
        Assert.True(exact >= 0.90, $"no attention: exact match {exact:P1} < 90%");
    }
}
