using Seq2Seq.Data;
using Seq2Seq.Models;
using Seq2Seq.Tests.Models;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Training;

public class TokenLossTests
{
    static Dictionary<string, Tensor> Gradients(Seq2SeqNetwork model, Func<Batch, Tensor> lossAndBackward, Batch batch, out double loss)
    {
        foreach (var p in model.parameters()) p.grad?.zero_();
        loss = lossAndBackward(batch).item<float>();
        return model.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
    }

    [Theory]
    [InlineData("rnn", false, false)]
    [InlineData("rnn", true, false)]
    [InlineData("transformer", true, false)]
    [InlineData("rnn", false, true)]
    [InlineData("transformer", false, true)]
    public void TheChunkedBackwardGivesTheLossAndGradientsOfTheWholeBatch(string kind, bool tie, bool copy)
    {
        // Copy attention: one vocabulary for both sides, the loss and gradients taken through the mixed distribution.
        int src = 20, tgt = copy ? 20 : 15;
        using var model = kind == "rnn" ? ModelTestKit.Model(src, tgt, tie: tie, copy: copy)
            : ModelTestKit.Transformer(src, tgt, share: false, tie: tie, copy: copy);
        var batch = Batch.Create(ModelTestKit.Sources(src, 3, 6, 4, 5), ModelTestKit.Sources(tgt, 4, 5, 7, 3), [0, 1, 2]);
        const double smoothing = 0.1, scale = 1 / 18.0;

        var whole = Gradients(model, b =>
        {
            var loss = TokenLoss.Sum(model.TokenLogits(b.Source, b.SourceLengths, b.TargetIn!, b.TargetOut!), b.TargetOut!, smoothing);
            (loss * scale).backward();
            return loss;
        }, batch, out double wholeLoss);
        var chunked = Gradients(model, b => TokenLoss.Backward(model,
            model.TokenOutputs(b.Source, b.SourceLengths, b.TargetIn!, b.TargetOut!), b.TargetOut!, smoothing, scale, rows: 4), batch, out double chunkedLoss);

        Assert.Equal(wholeLoss, chunkedLoss, 4);
        Assert.Equal(whole.Keys.Order(), chunked.Keys.Order());
        foreach (var (name, g) in whole)
            Assert.True(allclose(g, chunked[name], rtol: 1e-4, atol: 1e-6), name);
    }

    [Fact]
    public void ChunksHoldAboutFourMillionLogitsAndNeverFewerThan64Rows()
    {
        Assert.Equal(537, TokenLoss.ChunkRows(7800));
        Assert.Equal(64, TokenLoss.ChunkRows(1_000_000));
        Assert.Equal(1L << 22, TokenLoss.ChunkRows(1));
    }
}
