using Seq2Seq.Data;
using Seq2Seq.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seq2Seq.Training;

/// <summary>The training loss: label-smoothed cross-entropy summed over the real (non-pad) target tokens.</summary>
public static class TokenLoss
{
    /// <summary>Rows per chunk in <see cref="Backward"/> for a vocabulary: 4 Mi logits (16 MB per copy), so a chunk's
    /// GEMM stays large while a batch's whole logits never exist; small vocabularies get one chunk.</summary>
    public static long ChunkRows(int vocab) => Math.Max(64, (1L << 22) / Math.Max(1, vocab));

    /// <param name="logits">Logits of the non-pad target positions [tokens, vocab] (<see cref="Seq2SeqNetwork.TokenLogits"/>).</param>
    /// <param name="targetOut">target + &lt;/s&gt; [batch, tgtLen], padded.</param>
    /// <returns>The summed loss (a scalar); callers divide by the token count they normalise with.</returns>
    public static Tensor Sum(Tensor logits, Tensor targetOut, double labelSmoothing) =>
        F.cross_entropy(logits, Gold(targetOut), reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);

    /// <summary>
    /// The loss of <see cref="Sum"/> times <paramref name="scale"/>, back-propagated through the output layer and then
    /// through the rest of the model, with the output layer and softmax run over chunks of rows: each chunk's logits
    /// and their gradient are freed before the next is made. The gradients equal the unchunked ones up to float
    /// summation order; a batch's logits ([tokens, vocab], four or five copies of them in the loss and its backward)
    /// no longer set the memory peak.
    /// </summary>
    /// <param name="hidden">Decoder output vectors of the non-pad target positions [tokens, hidden] (<see cref="Seq2SeqNetwork.TokenHidden"/>).</param>
    /// <param name="targetOut">target + &lt;/s&gt; [batch, tgtLen], padded.</param>
    /// <param name="scale">Multiplies the loss before the backward pass (1 / the tokens normalised by; 0 for a rank without data).</param>
    /// <param name="rows">Rows per chunk (<see cref="ChunkRows"/>).</param>
    /// <returns>The summed loss, unscaled, as a one-element tensor.</returns>
    public static Tensor Backward(Seq2SeqNetwork model, Tensor hidden, Tensor targetOut, double labelSmoothing, double scale, long rows)
    {
        var gold = Gold(targetOut);                                                     // [tokens]
        long tokens = gold.shape[0];
        var leaf = hidden.detach().requires_grad_(true);                               // [tokens, hidden]
        var total = zeros(1, dtype: ScalarType.Float32, device: hidden.device);
        for (long start = 0; start < tokens; start += rows)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(rows, tokens - start);
            var loss = F.cross_entropy(model.Logits(leaf.narrow(0, start, n)), gold.narrow(0, start, n),
                reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);         // output layer's weights get their gradient here
            (loss * scale).backward();                                                   // and leaf.grad its rows'
            total.add_(loss.detach());
        }
        if (leaf.grad is Tensor grad) hidden.backward([grad]);                          // the rest of the model
        return total;
    }

    /// <summary>The non-pad target ids [tokens], in row-major order of <paramref name="targetOut"/>.</summary>
    static Tensor Gold(Tensor targetOut)
    {
        var gold = targetOut.view(-1);
        return gold.index_select(0, gold.ne(Vocabulary.Pad).nonzero().squeeze(1));
    }
}
