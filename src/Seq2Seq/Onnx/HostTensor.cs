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
        return Data switch
        {
            float[] f => new HostTensor(Select(f, rows, rowSize), shape),
            long[] l => new HostTensor(Select(l, rows, rowSize), shape),
            _ => throw new NotSupportedException($"rows of a {Data.GetType().Name}"),
        };
    }

    // Typed span copies into an array left uninitialised (every element is written), since beam search copies the
    // whole decoder state, KV caches included, at every step.
    static T[] Select<T>(T[] data, IReadOnlyList<int> rows, int rowSize) where T : unmanaged
    {
        var result = GC.AllocateUninitializedArray<T>(rows.Count * rowSize);
        for (int i = 0; i < rows.Count; i++) data.AsSpan(rows[i] * rowSize, rowSize).CopyTo(result.AsSpan(i * rowSize, rowSize));
        return result;
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
