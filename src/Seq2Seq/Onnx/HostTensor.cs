namespace Seq2Seq.Onnx;

/// <summary>A float32 or int64 tensor in managed memory, row-major, batch on the first axis.</summary>
public sealed record HostTensor(Array Data, long[] Shape)
{
    public static HostTensor Of(float[] data, params long[] shape) => new(data, shape);
    public static HostTensor Of(long[] data, params long[] shape) => new(data, shape);

    /// <summary>Elements per batch row (the product of the other axes).</summary>
    public long RowSize => Shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    /// <summary>The batch rows <paramref name="rows"/> (repeats allowed), in that order.</summary>
    public HostTensor SelectRows(IReadOnlyList<int> rows)
    {
        int rowSize = (int)RowSize;
        var shape = Shape.ToArray();
        shape[0] = rows.Count;
        var data = Array.CreateInstance(Data.GetType().GetElementType()!, rows.Count * rowSize);
        for (int i = 0; i < rows.Count; i++) Array.Copy(Data, (long)rows[i] * rowSize, data, (long)i * rowSize, rowSize);
        return new HostTensor(data, shape);
    }
}

/// <summary>Named tensors that share a batch axis (an exported model's memory or decoder state).</summary>
public sealed class OnnxRows(IReadOnlyDictionary<string, HostTensor> tensors)
{
    public IReadOnlyDictionary<string, HostTensor> Tensors { get; } = tensors;

    public int Rows => Tensors.Count == 0 ? 0 : (int)Tensors.Values.First().Shape[0];

    /// <summary>The rows <paramref name="rows"/> of every tensor (beam search: expand, reorder, drop).</summary>
    public OnnxRows SelectRows(IReadOnlyList<int> rows) => new(Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.SelectRows(rows)));
}
