using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Seq2Seq.Onnx;

/// <summary>
/// A float32 or int64 tensor in ONNX Runtime's native memory (an <see cref="OrtValue"/>), row-major, batch on the
/// first axis. Graph outputs stay where ONNX Runtime wrote them and are fed back as the next step's inputs; only the
/// rows a search selects are copied, once, and the GC never sees a buffer (docs/performance.md, "ONNX Runtime
/// decoding"). Decoder states share tensors (a step's next state and a reordered state keep the encoder memory), so
/// every holder takes a <see cref="Share"/> and disposes it; the last dispose frees the buffer.
/// </summary>
public sealed class NativeTensor : IDisposable
{
    readonly OrtValue value;
    int holders = 1;

    NativeTensor(OrtValue value)
    {
        this.value = value;
        var info = value.GetTensorTypeAndShape();
        Shape = info.Shape;
        ElementType = info.ElementDataType;
        ElementSize = ElementType switch
        {
            TensorElementType.Float => sizeof(float),
            TensorElementType.Int64 => sizeof(long),
            var other => throw new NotSupportedException($"ONNX tensor of type {other}"),
        };
    }

    public long[] Shape { get; }

    public TensorElementType ElementType { get; }

    int ElementSize { get; }

    /// <summary>The ONNX Runtime value, to pass as a graph input (still owned here).</summary>
    internal OrtValue Value => Volatile.Read(ref holders) > 0 ? value : throw new ObjectDisposedException(nameof(NativeTensor));

    /// <summary>Elements per batch row (the product of the other axes).</summary>
    public long RowSize => Shape.Skip(1).Aggregate(1L, (a, b) => a * b);

    /// <summary>Takes ownership of a graph output (a float32 or int64 tensor); disposes it if it is of another type.</summary>
    public static NativeTensor Own(OrtValue value)
    {
        try
        {
            return new NativeTensor(value);
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    public static NativeTensor Of(float[] data, params long[] shape) => Copy(TensorElementType.Float, MemoryMarshal.AsBytes(data.AsSpan()), shape);

    public static NativeTensor Of(long[] data, params long[] shape) => Copy(TensorElementType.Int64, MemoryMarshal.AsBytes(data.AsSpan()), shape);

    static NativeTensor Copy(TensorElementType type, ReadOnlySpan<byte> bytes, long[] shape)
    {
        var v = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, shape);
        bytes.CopyTo(v.GetTensorMutableRawData());
        return Own(v);
    }

    /// <summary>The elements, read in place.</summary>
    public ReadOnlySpan<T> Span<T>() where T : unmanaged => Value.GetTensorDataAsSpan<T>();

    /// <summary>Another holder of the same buffer (dispose it like the original).</summary>
    public NativeTensor Share()
    {
        if (Interlocked.Increment(ref holders) <= 1) throw new ObjectDisposedException(nameof(NativeTensor));
        return this;
    }

    /// <summary>A new tensor of this one's type and shape with <paramref name="rows"/> rows, its contents undefined.</summary>
    internal NativeTensor Allocate(int rows)
    {
        var shape = Shape.ToArray();
        shape[0] = rows;
        return Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, ElementType, shape));
    }

    /// <summary>Writes this tensor's rows <paramref name="rows"/>, in that order, into <paramref name="target"/>.</summary>
    internal void CopyRows(IReadOnlyList<int> rows, NativeTensor target)
    {
        int rowBytes = checked((int)RowSize * ElementSize);
        if (rowBytes == 0 || rows.Count == 0) return;
        ReadOnlySpan<byte> from = Value.GetTensorMutableRawData();
        var to = target.Value.GetTensorMutableRawData();
        for (int i = 0; i < rows.Count; i++) from.Slice(rows[i] * rowBytes, rowBytes).CopyTo(to.Slice(i * rowBytes, rowBytes));
    }

    public void Dispose()
    {
        if (Interlocked.Decrement(ref holders) == 0) value.Dispose();
    }
}

/// <summary>Named tensors that share a batch axis (an exported model's memory or decoder state); disposing it
/// disposes this holder's share of each.</summary>
public sealed class OnnxRows(IReadOnlyDictionary<string, NativeTensor> tensors) : IDisposable
{
    public IReadOnlyDictionary<string, NativeTensor> Tensors { get; } = tensors;

    public int Rows => Tensors.Count == 0 ? 0 : (int)Tensors.Values.First().Shape[0];

    /// <summary>The rows <paramref name="rows"/> of every tensor (beam search: expand, reorder, drop). The copies run
    /// in parallel (ONNX Runtime's threads are idle between steps, and a Transformer's KV cache is one tensor per
    /// layer); the buffers are allocated first, on this thread, since allocating on the workers spreads them over more
    /// malloc arenas and raised the peak memory by a quarter.</summary>
    public OnnxRows SelectRows(IReadOnlyList<int> rows)
    {
        var entries = Tensors.ToArray();
        var selected = new List<NativeTensor>(entries.Length);
        try
        {
            foreach (var (_, t) in entries) selected.Add(t.Allocate(rows.Count));
            Parallel.For(0, entries.Length, i => entries[i].Value.CopyRows(rows, selected[i]));
        }
        catch
        {
            foreach (var t in selected) t.Dispose();
            throw;
        }
        return new(entries.Select((kv, i) => (kv.Key, selected[i])).ToDictionary(x => x.Key, x => x.Item2));
    }

    /// <summary>Another holder of the same tensors.</summary>
    public OnnxRows Share() => new(Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.Share()));

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
