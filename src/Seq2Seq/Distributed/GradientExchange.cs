using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Distributed;

/// <summary>
/// Moves a model's parameters and gradients between the ranks of a <see cref="ProcessGroup"/> through one flat
/// float32 buffer: the tensors are copied into it back to back, the buffer is summed (or broadcast) in chunks of
/// at most 64 MB (a handful of MPI calls, not one per parameter), and copied back. The buffer is a pinned managed
/// array shared with a tensor view (<c>torch.frombuffer</c>), so the copies are tensor copies and MPI reads and
/// writes the same memory.
/// The buffer stays on the CPU whatever the model's device: the Open MPI binding passes host memory (it is not
/// CUDA-aware), so the copies in and out of it (<c>copy_</c>) also move each tensor between the device and the host.
/// </summary>
public sealed class GradientExchange : IDisposable
{
    readonly ProcessGroup group;
    readonly IReadOnlyList<Tensor> parameters;
    readonly float[] buffer;
    readonly Tensor flat;
    readonly int extras;

    /// <summary>Floats exchanged per call: all parameters' elements plus the extra values.</summary>
    public int Elements => buffer.Length;

    /// <param name="extras">Scalars summed along with each gradient exchange (e.g. the loss).</param>
    public GradientExchange(ProcessGroup group, IReadOnlyList<Tensor> parameters, int extras = 0)
    {
        long total = parameters.Sum(p => p.numel()) + extras;
        if (total > Array.MaxLength)
            throw new NotSupportedException($"{total:N0} parameters do not fit one exchange buffer (at most {Array.MaxLength:N0})");
        if (parameters.Any(p => p.dtype != ScalarType.Float32))
            throw new NotSupportedException("distributed training exchanges float32 parameters only");
        (this.group, this.parameters, this.extras) = (group, parameters, extras);
        buffer = GC.AllocateUninitializedArray<float>((int)total, pinned: true);
        flat = torch.frombuffer(buffer, ScalarType.Float32, total, 0, false);
    }

    /// <summary>Gives every rank rank 0's parameter values.</summary>
    public void BroadcastParameters()
    {
        using var _ = NewDisposeScope();
        using var noGrad = torch.no_grad();
        Each((p, region) => region.copy_(p.reshape(-1)));
        group.Broadcast(buffer, buffer.Length - extras);
        Each((p, region) => p.copy_(region.view_as(p)));
    }

    /// <summary>
    /// Replaces each parameter's gradient with its sum over all ranks, and each of <paramref name="values"/> (at most
    /// the extras given to the constructor) with its sum. A parameter without a gradient on this rank adds zeros and
    /// keeps none (the ranks run the same model, so the same parameters take part everywhere). Returns the time spent
    /// waiting for the slowest rank (a barrier before the sum) and the time of the exchange itself (copies and sums).
    /// </summary>
    public (TimeSpan Wait, TimeSpan Exchange) SumGradients(Span<float> values)
    {
        if (values.Length > extras) throw new ArgumentException($"at most {extras} extra values", nameof(values));
        var clock = Stopwatch.StartNew();
        group.Barrier();
        var wait = clock.Elapsed;
        using (var _ = NewDisposeScope())
        using (var noGrad = torch.no_grad())
        {
            Each((p, region) => { if (p.grad is { } g) region.copy_(g.reshape(-1)); else region.zero_(); });
            buffer.AsSpan(buffer.Length - extras).Clear();
            values.CopyTo(buffer.AsSpan(buffer.Length - extras));
            group.Sum(buffer, 0, buffer.Length);
            Each((p, region) => p.grad?.copy_(region.view_as(p)));
            buffer.AsSpan(buffer.Length - extras, values.Length).CopyTo(values);
        }
        return (wait, clock.Elapsed - wait);
    }

    void Each(Action<Tensor, Tensor> action)
    {
        long offset = 0;
        foreach (var p in parameters)
        {
            long n = p.numel();
            action(p, flat.narrow(0, offset, n));
            offset += n;
        }
    }

    public void Dispose() => flat.Dispose();
}
