using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

/// <summary>Shapes and padding masks of every global attention score function.</summary>
public class AttentionTests
{
    /// <summary>The names and shapes each score registered when one AttentionScore class held every kind: checkpoints
    /// store them (e.g. decoder.attention.score.keyLayer.weight), so older files keep loading.</summary>
    public static TheoryData<string, string[]> CheckpointNames => new()
    {
        { "dot", [] },
        { "general", ["keyLayer.weight [6, 4]"] },
        { "concat", ["keyLayer.weight [6, 4]", "queryLayer.weight [6, 6]", "v.weight [1, 6]"] },
        { "additive", ["keyLayer.weight [6, 4]", "queryLayer.weight [6, 6]", "queryLayer.bias [6]", "v.weight [1, 6]"] },
    };

    [Theory]
    [MemberData(nameof(CheckpointNames))]
    public void EachScoreKeepsTheParameterNamesCheckpointsStore(string kind, string[] expected)
    {
        int keyDim = kind == "dot" ? 6 : 4;
        using var score = AttentionScore.Create(kind, 6, keyDim);
        var names = score.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]").Order().ToArray();
        Assert.Equal(expected.Order().ToArray(), names);
        using var global = new GlobalAttention(kind, 6, keyDim);
        Assert.All(global.named_parameters(), p => Assert.StartsWith("score.", p.name));
    }

    [Theory]
    [InlineData("dot")]
    [InlineData("general")]
    [InlineData("concat")]
    [InlineData("additive")]
    public void WeightsHaveTheRightShapeIgnorePaddingAndSumToOne(string kind)
    {
        manual_seed(3);
        const int batch = 3, tgtLen = 4, srcLen = 5, dim = 8;
        using var attention = new GlobalAttention(kind, dim, dim);
        using var query = randn(batch, tgtLen, dim);
        using var values = randn(batch, srcLen, dim);
        using var keys = attention.Keys(values);
        // Sentence lengths 5, 3 and 1: positions past the length are padding.
        using var mask = tensor(new[] { 5L, 3, 1 }).unsqueeze(1).gt(arange(srcLen).unsqueeze(0));   // [batch, srcLen]
        var (context, weights, _) = attention.Forward(query, keys, values, mask);

        Assert.Equal(new long[] { batch, tgtLen, dim }, context.shape);
        Assert.Equal(new long[] { batch, tgtLen, srcLen }, weights.shape);
        var w = weights.data<float>().ToArray();
        int[] lengths = [5, 3, 1];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < tgtLen; t++)
            {
                double sum = 0;
                for (int s = 0; s < srcLen; s++)
                {
                    float v = w[(b * tgtLen + t) * srcLen + s];
                    if (s >= lengths[b]) Assert.Equal(0f, v);
                    else Assert.True(v > 0);
                    sum += v;
                }
                Assert.Equal(1.0, sum, 5);
            }
        // A sentence of length 1 attends to its only token: the context is that token's value.
        var ctx = context[2, 0].data<float>().ToArray();
        var only = values[2, 0].data<float>().ToArray();
        for (int i = 0; i < dim; i++) Assert.Equal(only[i], ctx[i], 5);
    }

    [Fact]
    public void DotAttentionNeedsEqualSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new GlobalAttention("dot", 8, 16));
        Assert.Contains("hidden_size", e.Message);
    }

    [Fact]
    public void DotScoresAreInnerProducts()
    {
        // One query, two keys: q = (1, 0), k1 = (2, 0), k2 = (0, 5) → scores (2, 0) → softmax (e²/(e²+1), 1/(e²+1)).
        using var attention = new GlobalAttention("dot", 2, 2);
        using var q = tensor(new float[] { 1, 0 }).view(1, 1, 2);
        using var v = tensor(new float[] { 2, 0, 0, 5 }).view(1, 2, 2);
        using var mask = ones(1, 2, dtype: ScalarType.Bool);
        var (_, w, _) = attention.Forward(q, attention.Keys(v), v, mask);
        double e2 = Math.Exp(2);
        Assert.Equal(e2 / (e2 + 1), w[0, 0, 0].item<float>(), 5);
        Assert.Equal(1 / (e2 + 1), w[0, 0, 1].item<float>(), 5);
    }
}
