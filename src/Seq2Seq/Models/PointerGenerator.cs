using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Copy attention's output distribution (the pointer-generator of See et al. 2017): with the gate g,
/// P(w) = g · softmax(logits)(w) + (1 − g) · Σ_{i: src_i = w} a_i, i.e. the attention over the source scattered onto
/// the source's token ids (which are target ids too: copy attention needs a joint vocabulary). Padded source positions
/// add nothing. The result is log P, clamped away from log 0; a normalised log-distribution is its own log_softmax,
/// so the searches, the scorer, ensembles and the cross-entropy loss take it where they take logits.
/// </summary>
public static class PointerGenerator
{
    /// <summary>The smallest probability whose log is taken (log 1e-20 ≈ −46): a token neither generated nor copied
    /// keeps a finite score and the loss a finite gradient.</summary>
    public const double MinProbability = 1e-20;

    /// <param name="logits">Vocabulary logits [..., vocab].</param>
    /// <param name="copy">The gate, attention and source ids at the same positions.</param>
    /// <returns>log P [..., vocab].</returns>
    public static Tensor LogProbs(Tensor logits, CopyInputs copy)
    {
        var generate = logits.softmax(-1) * copy.Gate;                                     // [..., vocab]
        var real = copy.Source.ne(Data.Vocabulary.Pad).to_type(copy.Weights.dtype);        // [..., srcLen]
        var copied = copy.Weights * real * (1 - copy.Gate);                                // [..., srcLen]
        return generate.scatter_add(-1, copy.Source, copied).clamp_min(MinProbability).log(); // [..., vocab]
    }
}
