using Seq2Seq.Configuration;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

/// <summary>Local (Luong et al. 2015) and hybrid attention: windows, Gaussian, gate, normalisation, CNN encoder masking.</summary>
public class LocalAndHybridAttentionTests
{
    const int Dim = 6;

    static Tensor Mask(long srcLen, params long[] lengths) =>
        tensor(lengths).unsqueeze(1).gt(arange(srcLen).unsqueeze(0));          // [batch, srcLen]

    [Fact]
    public void LocalMCentresStepTOnSourcePositionT()
    {
        // A zero query gives equal dot scores, so the weights are uniform over the window [t − D, t + D] ∩ source.
        using var attention = new LocalAttention("local-m", "dot", Dim, Dim, window: 2);
        using var query = zeros(1, 6, Dim);
        using var values = randn(1, 9, Dim);
        var w = attention.Forward(query, attention.Keys(values), values, Mask(9, 9), firstStep: 0).Weights;
        for (int t = 0; t < 6; t++)
        {
            var row = w[0, t].data<float>().ToArray();
            int lo = Math.Max(0, t - 2), hi = Math.Min(8, t + 2);
            for (int s = 0; s < 9; s++)
                Assert.Equal(s >= lo && s <= hi ? 1f / (hi - lo + 1) : 0f, row[s], 5);
        }
        // Steps past the source end stay on the last position (p_t = min(t, S − 1)).
        var late = attention.Forward(zeros(1, 1, Dim), attention.Keys(values), values, Mask(9, 4), firstStep: 20).Weights[0, 0]
            .data<float>().ToArray();
        float[] expected = [0, 1 / 3f, 1 / 3f, 1 / 3f, 0, 0, 0, 0, 0];
        for (int s = 0; s < 9; s++) Assert.Equal(expected[s], late[s], 5);
    }

    [Fact]
    public void LocalPIsZeroOutsideTheWindowAndGaussianInside()
    {
        // Zero query: p_t = S · sigmoid(v_p · tanh(0)) = S / 2 = 5 for S = 10; equal scores, so inside the window the
        // weights are proportional to exp(−(s − p)² / (2σ²)) with σ = D / 2 = 1.5.
        using var attention = new LocalAttention("local-p", "dot", Dim, Dim, window: 3);
        using var query = zeros(1, 1, Dim);
        using var values = randn(1, 12, Dim);
        using var mask = Mask(12, 10);
        Assert.Equal(5f, attention.Positions(query, mask, 0)[0, 0].item<float>(), 5);
        var row = attention.Forward(query, attention.Keys(values), values, mask, 0).Weights[0, 0].data<float>().ToArray();
        double sigma = 1.5;
        var gauss = Enumerable.Range(0, 12).Select(s => Math.Abs(s - 5) <= 3 ? Math.Exp(-(s - 5) * (s - 5) / (2 * sigma * sigma)) : 0).ToArray();
        double z = gauss.Sum();
        for (int s = 0; s < 12; s++) Assert.Equal(gauss[s] / z, row[s], 5);
    }

    [Theory]
    [InlineData("local-m")]
    [InlineData("local-p")]
    public void HybridWithGateOneIsGlobalAndWithGateZeroIsLocal(string localKind)
    {
        using var query = randn(2, 3, Dim);
        using var values = randn(2, 7, Dim);
        using var mask = Mask(7, 7, 4);
        manual_seed(9); using var hybrid = new HybridAttention(localKind, "general", Dim, Dim, window: 2);
        manual_seed(9); using var global = new GlobalAttention("general", Dim, Dim);
        manual_seed(9); using var local = new LocalAttention(localKind, "general", Dim, Dim, window: 2);
        hybrid.ForcedGate = 1.0;
        var h1 = hybrid.Forward(query, hybrid.Keys(values), values, mask, 1).Weights;
        var g = global.Forward(query, global.Keys(values), values, mask, 1).Weights;
        Assert.True(h1.allclose(g, atol: 1e-6));
        hybrid.ForcedGate = 0.0;
        var h0 = hybrid.Forward(query, hybrid.Keys(values), values, mask, 1).Weights;
        var l = local.Forward(query, local.Keys(values), values, mask, 1).Weights;
        Assert.True(h0.allclose(l, atol: 1e-6));
        hybrid.ForcedGate = null;
        var gate = hybrid.Forward(query, hybrid.Keys(values), values, mask, 1).Gate!;
        Assert.Equal(new long[] { 2, 3 }, gate.shape);
        Assert.True(gate.gt(0).all().item<bool>() && gate.lt(1).all().item<bool>());
    }

    [Theory]
    [InlineData("global", "concat")]
    [InlineData("local-m", "dot")]
    [InlineData("local-p", "general")]
    [InlineData("local-p", "concat")]
    [InlineData("hybrid", "general")]
    public void EveryVariantsRowsSumToOneOverRealTokens(string type, string score)
    {
        manual_seed(2);
        var config = new DecoderConfig { AttentionType = type, Attention = score, LocalWindow = 2, HiddenSize = Dim };
        IAttention attention = type switch
        {
            "global" => new GlobalAttention(score, Dim, Dim),
            "hybrid" => new HybridAttention(config.HybridLocal, score, Dim, Dim, 2),
            _ => new LocalAttention(type, score, Dim, Dim, 2),
        };
        using var query = randn(3, 5, Dim) * 3;
        using var values = randn(3, 8, Dim);
        using var mask = Mask(8, 8, 5, 1);
        var w = attention.Forward(query, attention.Keys(values), values, mask, 0).Weights;
        Assert.True(w.sum(-1).allclose(ones(3, 5), atol: 1e-5));
        Assert.Equal(0f, w.masked_select(mask.unsqueeze(1).logical_not().expand(3, 5, 8)).abs().sum().item<float>());
    }

    [Fact]
    public void CnnEncoderKeepsTheLengthAndPaddingDoesNotLeak()
    {
        manual_seed(1);
        using var encoder = new CnnEncoder(new EncoderConfig { Type = "cnn", HiddenSize = 8, Layers = 3, KernelWidth = 3 }, 20, 6, 0.0);
        encoder.eval();
        using var alone = tensor(new long[] { 5, 6, 7 }).view(1, 3);
        using var batch = tensor(new long[] { 5, 6, 7, 1, 1, 1, 8, 9, 10, 11, 12, 13 }).view(2, 6);   // 1 = <pad>
        var a = encoder.Forward(alone, tensor(new long[] { 3 }));
        var b = encoder.Forward(batch, tensor(new long[] { 3, 6 }));
        Assert.Equal(new long[] { 2, 6, 8 }, b.States.shape);
        Assert.True(a.States[0].allclose(b.States[0, ..3], atol: 1e-5), "padding changed a real position's state");
        Assert.True(a.FinalH[0].allclose(b.FinalH[0], atol: 1e-5));
        Assert.Equal(0f, b.States[0, 3..].abs().sum().item<float>());
    }

    [Fact]
    public void CnnEncoderStatesStayUnitScaleWhenItsConvolutionsAmplify()
    {
        // Trained with Adam, the convolutions can learn to amplify their input; unnormalised, six blocks of 4× gain made
        // states of std ≈ 500 on bible-es-en and the attention saturated. Here the weights are scaled up 20× instead.
        manual_seed(2);
        using var encoder = new CnnEncoder(new EncoderConfig { Type = "cnn", HiddenSize = 32, Layers = 6, KernelWidth = 3 }, 50, 16, 0.0);
        encoder.eval();
        using (no_grad())
            foreach (var (name, p) in encoder.named_parameters())
                if (name.StartsWith("convs.")) p.mul_(20);
        using var src = randint(4, 50, new long[] { 4, 30 });
        var states = encoder.Forward(src, full(4, 30, ScalarType.Int64)).States;   // [4, 30, 32]
        var rms = states.pow(2).mean(new long[] { 2 }).sqrt();                       // [4, 30]
        Assert.True(rms.max().item<float>() < 3f, $"state RMS up to {rms.max().item<float>()}");
        Assert.True(rms.min().item<float>() > 0.3f, $"state RMS down to {rms.min().item<float>()}");
    }
}
