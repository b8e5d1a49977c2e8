using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// What copy attention (<see cref="PointerGenerator"/>) mixes into the output distribution at some decoder positions,
/// all with the same leading dimensions [...] as the output vectors they go with.
/// </summary>
/// <param name="Gate">g, the probability of generating from the vocabulary rather than copying [..., 1].</param>
/// <param name="Weights">The attention over the source [..., srcLen]; zero at padding.</param>
/// <param name="Source">The source ids each position attends to [..., srcLen] (int64; <c>&lt;pad&gt;</c> at padding).</param>
public sealed record CopyInputs(Tensor Gate, Tensor Weights, Tensor Source)
{
    /// <summary>The rows <paramref name="rows"/> [n] of the inputs flattened to [rows, ...].</summary>
    public CopyInputs Rows(Tensor rows) => new(Flat(Gate).index_select(0, rows), Flat(Weights).index_select(0, rows),
        Flat(Source).index_select(0, rows));

    /// <summary>Rows start … start + length − 1 of inputs that are already [rows, ...].</summary>
    public CopyInputs Narrow(long start, long length) =>
        new(Gate.narrow(0, start, length), Weights.narrow(0, start, length), Source.narrow(0, start, length));

    static Tensor Flat(Tensor t) => t.reshape(-1, t.shape[^1]);
}
