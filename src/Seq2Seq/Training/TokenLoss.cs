using Seq2Seq.Data;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seq2Seq.Training;

/// <summary>The training loss: label-smoothed cross-entropy summed over the real (non-pad) target tokens.</summary>
public static class TokenLoss
{
    /// <param name="logits">Logits of the non-pad target positions [tokens, vocab] (<see cref="Models.Seq2SeqNetwork.TokenLogits"/>).</param>
    /// <param name="targetOut">target + &lt;/s&gt; [batch, tgtLen], padded.</param>
    /// <returns>The summed loss (a scalar); callers divide by the token count they normalise with.</returns>
    public static Tensor Sum(Tensor logits, Tensor targetOut, double labelSmoothing)
    {
        var gold = targetOut.view(-1);
        return F.cross_entropy(logits, gold.index_select(0, gold.ne(Vocabulary.Pad).nonzero().squeeze(1)),
            reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);
    }
}
