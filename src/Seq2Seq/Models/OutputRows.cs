using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// What a network's output layer reads (<see cref="Seq2SeqNetwork.Output"/>): the decoder output vectors and, for a
/// copy-attention model, the <see cref="CopyInputs"/> at the same positions; for an ensemble, each member's own.
/// </summary>
/// <param name="Hidden">Decoder output vectors [..., hidden] (an ensemble: the members' side by side).</param>
/// <param name="Copy">Copy attention's gate, attention and source ids; null without copy attention.</param>
/// <param name="Members">An ensemble's per-member rows; null for a single network.</param>
public sealed record OutputRows(Tensor Hidden, CopyInputs? Copy = null, IReadOnlyList<OutputRows>? Members = null)
{
    /// <summary>The rows <paramref name="rows"/> [n] of the positions flattened to one dimension: [n, ...].</summary>
    public OutputRows Rows(Tensor rows) => new(Hidden.reshape(-1, Hidden.shape[^1]).index_select(0, rows), Copy?.Rows(rows),
        Members?.Select(m => m.Rows(rows)).ToList());

    /// <summary>Rows start … start + length − 1 of rows that are already flat [rows, ...].</summary>
    public OutputRows Narrow(long start, long length) => new(Hidden.narrow(0, start, length), Copy?.Narrow(start, length),
        Members?.Select(m => m.Narrow(start, length)).ToList());
}
