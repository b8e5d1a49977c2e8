using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>Attention keys and values of one layer, [batch, heads, len, headSize] each.</summary>
public sealed record KeyValues(Tensor Keys, Tensor Values)
{
    public KeyValues Select(Tensor rows) => new(Keys.index_select(0, rows), Values.index_select(0, rows));

    /// <summary>These positions followed by <paramref name="next"/>'s (no copy while this holds none).</summary>
    public KeyValues Append(KeyValues next) => Keys.shape[2] == 0 ? next
        : new(cat([Keys, next.Keys], 2), cat([Values, next.Values], 2));
}

/// <summary>What the Transformer decoder reads from the encoder, computed once per batch: each decoder layer's
/// cross-attention keys and values, the source padding [batch, 1, 1, srcLen] (true at padding) and, for copy
/// attention, the source ids [batch, srcLen].</summary>
public sealed record TransformerMemory(IReadOnlyList<KeyValues> Cross, Tensor Padding, Tensor? Source = null) : IDecoderRows
{
    public TransformerMemory Select(Tensor rows) =>
        new(Cross.Select(c => c.Select(rows)).ToList(), Padding.index_select(0, rows), Source?.index_select(0, rows));

    IDecoderRows IDecoderRows.Select(Tensor rows) => Select(rows);

    public IEnumerable<Tensor> Tensors() =>
        Cross.SelectMany(c => new[] { c.Keys, c.Values }).Append(Padding).Concat(Source is null ? [] : [Source]);
}

/// <summary>The Transformer decoder's state between search steps: per layer the self-attention keys and values of
/// the <paramref name="Time"/> target positions decoded so far (the cache grows by one position per step).</summary>
public sealed record TransformerState(IReadOnlyList<KeyValues> Self, int Time) : IDecoderRows
{
    public TransformerState Select(Tensor rows) => new(Self.Select(c => c.Select(rows)).ToList(), Time);

    IDecoderRows IDecoderRows.Select(Tensor rows) => Select(rows);

    public IEnumerable<Tensor> Tensors() => Self.SelectMany(c => new[] { c.Keys, c.Values });
}
