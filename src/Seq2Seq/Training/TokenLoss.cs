using Seq2Seq.Data;
using Seq2Seq.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seq2Seq.Training;

/// <summary>The training loss: label-smoothed cross-entropy summed over the real (non-pad) target tokens. For copy
/// attention it is taken on the mixed distribution: the network's scores are then log P itself, whose log_softmax is
/// log P again, so cross_entropy gives (1 − ε) · −log P(gold) + ε · mean over the vocabulary of −log P(w) — label
/// smoothing against the uniform distribution, on the distribution the searches use.</summary>
public static class TokenLoss
{
    /// <summary>Rows per chunk in <see cref="Backward"/> for a vocabulary: 4 Mi logits (16 MB per copy), so a chunk's
    /// GEMM stays large while a batch's whole logits never exist; small vocabularies get one chunk.</summary>
    public static long ChunkRows(int vocab) => Math.Max(64, (1L << 22) / Math.Max(1, vocab));

    /// <param name="logits">Scores of the non-pad target positions [tokens, vocab] (<see cref="Seq2SeqNetwork.TokenLogits"/>).</param>
    /// <param name="targetOut">target + &lt;/s&gt; [batch, tgtLen], padded.</param>
    /// <returns>The summed loss (a scalar); callers divide by the token count they normalise with.</returns>
    public static Tensor Sum(Tensor logits, Tensor targetOut, double labelSmoothing) =>
        F.cross_entropy(logits, Gold(targetOut), reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);

    /// <summary>
    /// The loss of <see cref="Sum"/> times <paramref name="scale"/>, back-propagated through the output layer (with copy
    /// attention's mixture) and then through the rest of the model, with the output layer and softmax run over chunks
    /// of rows: each chunk's logits and their gradient are freed before the next is made. The gradients equal the unchunked ones up to float
    /// summation order; a batch's logits ([tokens, vocab], four or five copies of them in the loss and its backward)
    /// no longer set the memory peak.
    /// </summary>
    /// <param name="output">What the output layer reads at the non-pad target positions [tokens, ...] (<see cref="Seq2SeqNetwork.TokenOutputs"/>).</param>
    /// <param name="targetOut">target + &lt;/s&gt; [batch, tgtLen], padded.</param>
    /// <param name="scale">Multiplies the loss before the backward pass (1 / the tokens normalised by; 0 for a rank without data).</param>
    /// <param name="rows">Rows per chunk (<see cref="ChunkRows"/>).</param>
    /// <returns>The summed loss, unscaled, as a one-element tensor.</returns>
    public static Tensor Backward(Seq2SeqNetwork model, OutputRows output, Tensor targetOut, double labelSmoothing, double scale, long rows)
    {
        var gold = Gold(targetOut);                                                     // [tokens]
        long tokens = gold.shape[0];
        // Leaves cut from the rest of the model: the output vectors and, for copy attention, the gate and the attention.
        var roots = new List<Tensor> { output.Hidden };                                 // [tokens, hidden]
        if (output.Copy is { } c) roots.AddRange([c.Gate, c.Weights]);                   // [tokens, 1], [tokens, srcLen]
        var leaves = roots.Select(t => t.detach().requires_grad_(true)).ToList();
        var leaf = new OutputRows(leaves[0], output.Copy is { } copy ? copy with { Gate = leaves[1], Weights = leaves[2] } : null);
        var total = zeros(1, dtype: ScalarType.Float32, device: output.Hidden.device);
        for (long start = 0; start < tokens; start += rows)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(rows, tokens - start);
            var loss = F.cross_entropy(model.Output(leaf.Narrow(start, n)), gold.narrow(0, start, n),
                reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);         // output layer's weights get their gradient here
            (loss * scale).backward();                                                   // and the leaves' grads their rows'
            total.add_(loss.detach());
        }
        var reached = Enumerable.Range(0, roots.Count).Where(i => leaves[i].grad is not null && roots[i].requires_grad).ToList();
        if (reached.Count > 0)                                                           // the rest of the model
            autograd.backward(reached.Select(i => roots[i]).ToList(), reached.Select(i => leaves[i].grad!).ToList());
        return total;
    }

    /// <summary>The non-pad target ids [tokens], in row-major order of <paramref name="targetOut"/>.</summary>
    static Tensor Gold(Tensor targetOut)
    {
        var gold = targetOut.view(-1);
        return gold.index_select(0, gold.ne(Vocabulary.Pad).nonzero().squeeze(1));
    }
}
