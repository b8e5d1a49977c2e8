using System.Runtime.InteropServices;
using Seq2Seq.Configuration;

namespace Seq2Seq.Distributed;

/// <summary>
/// The processes that train one model together: rank 0 of <see cref="Size"/> writes everything; collective calls
/// (sums, broadcasts, barriers) go through MPI. A group of one process (no launcher, or
/// <c>training.distributed: off</c>) makes every call a no-op and never loads MPI.
/// </summary>
/// <remarks>
/// On an error a rank leaves without MPI_Finalize (it would wait for ranks that are blocked in a collective call);
/// the launcher then ends the whole job. <see cref="Finish"/> finalises MPI on the normal path.
/// </remarks>
public sealed class ProcessGroup
{
    /// <summary>Most elements per MPI call (64 MB of floats): buffers are exchanged in chunks of this size.</summary>
    public const int ChunkElements = 16 << 20;

    readonly OpenMpi? mpi;
    readonly bool ownsMpi;
    readonly int[] ints = GC.AllocateArray<int>(8, pinned: true);

    public int Rank { get; }
    public int Size { get; }
    /// <summary>Processes of the group on this host (sharing its cores).</summary>
    public int LocalSize { get; }
    public bool IsMain => Rank == 0;
    public bool IsDistributed => Size > 1;

    /// <summary>A group of one process, without MPI.</summary>
    public static ProcessGroup Single { get; } = new(null, false, 0, 1, 1);

    ProcessGroup(OpenMpi? mpi, bool ownsMpi, int rank, int size, int localSize) =>
        (this.mpi, this.ownsMpi, Rank, Size, LocalSize) = (mpi, ownsMpi, rank, size, localSize);

    /// <summary>
    /// The group for <paramref name="mode"/> (<c>training.distributed</c>): <c>off</c>: this process alone;
    /// <c>auto</c>: MPI when an MPI launcher started this process, else alone; <c>mpi</c>: MPI always (a process
    /// started without a launcher is a group of one).
    /// </summary>
    public static ProcessGroup Open(string mode) => Open(mode, MpiLaunch.FromEnvironment());

    /// <summary>As <see cref="Open(string)"/>, for the launch <paramref name="launch"/> (null: none).</summary>
    public static ProcessGroup Open(string mode, MpiLaunch? launch)
    {
        if (mode == "off" || (mode == "auto" && launch is null)) return Single;
        if (mode is not ("auto" or "mpi"))
            throw new ConfigException($"training.distributed: '{mode}' must be one of auto, off, mpi");
        string why = launch is null ? "training.distributed: mpi" : $"started by an MPI launcher ({launch.Variable} is set)";
        var mpi = OpenMpi.Load(why);
        bool owns = mpi.Init();
        return new ProcessGroup(mpi, owns, mpi.Rank, mpi.Size, launch?.LocalSize ?? 1);
    }

    /// <summary>Sums <paramref name="count"/> floats of <paramref name="buffer"/> (a pinned array) from
    /// <paramref name="offset"/> over all ranks, in place, in chunks of at most <see cref="ChunkElements"/>.</summary>
    public void Sum(float[] buffer, int offset, int count)
    {
        if (mpi is null) return;
        for (int start = 0; start < count; start += ChunkElements)
            mpi.SumFloats(Marshal.UnsafeAddrOfPinnedArrayElement(buffer, offset + start), Math.Min(ChunkElements, count - start));
    }

    /// <summary>Replaces <paramref name="buffer"/>'s first <paramref name="count"/> floats with rank 0's.</summary>
    public void Broadcast(float[] buffer, int count)
    {
        if (mpi is null) return;
        for (int start = 0; start < count; start += ChunkElements)
            mpi.BroadcastFloats(Marshal.UnsafeAddrOfPinnedArrayElement(buffer, start), Math.Min(ChunkElements, count - start), 0);
    }

    /// <summary>Whether <paramref name="flag"/> is true on any rank.</summary>
    public bool Any(bool flag)
    {
        if (mpi is null) return flag;
        ints[0] = flag ? 1 : 0;
        mpi.MaxInts(Marshal.UnsafeAddrOfPinnedArrayElement(ints, 0), 1);
        return ints[0] != 0;
    }

    /// <summary>
    /// Checks that every rank has the same <paramref name="values"/> as rank 0 (e.g. vocabulary sizes, the resumed
    /// step); on a difference every rank throws a <see cref="ConfigException"/>, the differing one naming both values.
    /// </summary>
    public void RequireSame(string what, string hint, params int[] values)
    {
        if (mpi is null) return;
        if (values.Length > ints.Length) throw new ArgumentException($"at most {ints.Length} values", nameof(values));
        values.CopyTo(ints, 0);
        mpi.BroadcastInts(Marshal.UnsafeAddrOfPinnedArrayElement(ints, 0), values.Length, 0);
        int[] main = ints[..values.Length];
        bool differs = !main.AsSpan().SequenceEqual(values);
        if (!Any(differs)) return;
        throw new ConfigException(differs
            ? $"rank {Rank} has {what} = {string.Join(", ", values)} but rank 0 has {string.Join(", ", main)}; {hint}"
            : $"another rank's {what} differ from rank 0's ({string.Join(", ", main)}); {hint}");
    }

    /// <summary>Waits until every rank has arrived (MPI_Barrier: busy, for short waits).</summary>
    public void Barrier() => mpi?.Barrier();

    /// <summary>Waits until every rank has arrived, sleeping meanwhile (ranks waiting for rank 0's validation do not
    /// take the cores from it).</summary>
    public void WaitForAll() => mpi?.QuietBarrier(TimeSpan.FromMilliseconds(2));

    /// <summary>The normal end: waits for every rank, then finalises MPI if this group initialised it.</summary>
    public void Finish()
    {
        if (mpi is null) return;
        WaitForAll();
        if (ownsMpi) mpi.FinalizeMpi();
    }
}
