using System.Runtime.InteropServices;
using Seq2Seq.Configuration;

namespace Seq2Seq.Distributed;

/// <summary>
/// A thin binding to Open MPI's C library (<c>libmpi.so.40</c>: Open MPI 3.x–5.x), loaded on first use through
/// <see cref="NativeLibrary"/>, so that nothing needs MPI unless a distributed run asks for it. Only the calls that
/// data-parallel training makes are bound. Open MPI's handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>,
/// <c>MPI_SUM</c>, ...) are the addresses of global symbols of the library, taken with
/// <see cref="NativeLibrary.GetExport"/>. (The MPI.NET package is built against Microsoft MPI, whose handles are
/// integer constants; with Open MPI it cannot work.)
/// </summary>
public sealed class OpenMpi
{
    /// <summary>The library names tried, in order (found through the usual search path, LD_LIBRARY_PATH included).</summary>
    public static readonly string[] LibraryNames = ["libmpi.so.40", "libmpi.so"];
    public const string InstallHint = "install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev)";

    const int ThreadSerialized = 2;          // MPI_THREAD_SERIALIZED
    static readonly IntPtr InPlace = 1;      // MPI_IN_PLACE is ((void *) 1) in Open MPI

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int InitThreadFn(IntPtr argc, IntPtr argv, int required, out int provided);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int FlagFn(out int flag);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int CommIntFn(IntPtr comm, out int value);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int AllreduceFn(IntPtr send, IntPtr recv, int count, IntPtr type, IntPtr op, IntPtr comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int BcastFn(IntPtr buffer, int count, IntPtr type, int root, IntPtr comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int CommFn(IntPtr comm);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int IbarrierFn(IntPtr comm, out IntPtr request);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int TestFn(ref IntPtr request, out int flag, IntPtr status);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] delegate int NoArgFn();

    readonly InitThreadFn initThread;
    readonly FlagFn initialized, finalized;
    readonly CommIntFn commRank, commSize;
    readonly AllreduceFn allreduce;
    readonly BcastFn bcast;
    readonly CommFn barrier;
    readonly IbarrierFn ibarrier;
    readonly TestFn test;
    readonly NoArgFn finalize;
    readonly IntPtr world, mpiFloat, mpiInt, opSum, opMax;

    /// <summary>The path or name the library was loaded from.</summary>
    public string Library { get; }

    OpenMpi(IntPtr lib, string name)
    {
        Library = name;
        T Fn<T>(string symbol) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(Export(lib, name, symbol));
        initThread = Fn<InitThreadFn>("MPI_Init_thread");
        initialized = Fn<FlagFn>("MPI_Initialized");
        finalized = Fn<FlagFn>("MPI_Finalized");
        commRank = Fn<CommIntFn>("MPI_Comm_rank");
        commSize = Fn<CommIntFn>("MPI_Comm_size");
        allreduce = Fn<AllreduceFn>("MPI_Allreduce");
        bcast = Fn<BcastFn>("MPI_Bcast");
        barrier = Fn<CommFn>("MPI_Barrier");
        ibarrier = Fn<IbarrierFn>("MPI_Ibarrier");
        test = Fn<TestFn>("MPI_Test");
        finalize = Fn<NoArgFn>("MPI_Finalize");
        world = Export(lib, name, "ompi_mpi_comm_world");
        mpiFloat = Export(lib, name, "ompi_mpi_float");
        mpiInt = Export(lib, name, "ompi_mpi_int");
        opSum = Export(lib, name, "ompi_mpi_op_sum");
        opMax = Export(lib, name, "ompi_mpi_op_max");
    }

    /// <summary>Loads Open MPI's library; a missing library, or one that is not Open MPI's, is a
    /// <see cref="ConfigException"/> that says how to install it.</summary>
    /// <param name="why">What asked for MPI, for the message (e.g. "training.distributed: mpi").</param>
    public static OpenMpi Load(string why) => Load(why, LibraryNames);

    /// <summary>As <see cref="Load(string)"/>, trying the library names <paramref name="names"/>.</summary>
    public static OpenMpi Load(string why, IReadOnlyList<string> names)
    {
        var errors = new List<string>();
        foreach (string name in names)
        {
            IntPtr lib;
            try { lib = NativeLibrary.Load(name); }
            catch (DllNotFoundException e) { errors.Add(e.Message.Split('\n')[0].Trim()); continue; }
            return new OpenMpi(lib, name);
        }
        throw new ConfigException($"{why}: Open MPI's library ({string.Join(" or ", names)}) could not be loaded; " +
            $"{InstallHint}, or set training.distributed: off to train in one process" +
            (errors.Count > 0 ? $" ({errors[0]})" : ""));
    }

    static IntPtr Export(IntPtr lib, string name, string symbol) =>
        NativeLibrary.TryGetExport(lib, symbol, out IntPtr address) ? address
        : throw new ConfigException($"{name} has no symbol {symbol}: only Open MPI (3.x to 5.x) is supported; {InstallHint}");

    /// <summary>MPI_Init_thread (MPI_THREAD_SERIALIZED: calls come from one thread at a time), unless MPI is already
    /// initialised; returns whether this call initialised it (and so should finalise it).</summary>
    public bool Init()
    {
        Check(initialized(out int done), "MPI_Initialized");
        if (done != 0) return false;
        Check(initThread(IntPtr.Zero, IntPtr.Zero, ThreadSerialized, out _), "MPI_Init_thread");
        return true;
    }

    public int Rank { get { Check(commRank(world, out int r), "MPI_Comm_rank"); return r; } }
    public int Size { get { Check(commSize(world, out int s), "MPI_Comm_size"); return s; } }

    /// <summary>In-place sum over all ranks of <paramref name="count"/> floats at <paramref name="buffer"/> (pinned memory).</summary>
    public void SumFloats(IntPtr buffer, int count) => Check(allreduce(InPlace, buffer, count, mpiFloat, opSum, world), "MPI_Allreduce");

    /// <summary>In-place maximum over all ranks of <paramref name="count"/> ints at <paramref name="buffer"/>.</summary>
    public void MaxInts(IntPtr buffer, int count) => Check(allreduce(InPlace, buffer, count, mpiInt, opMax, world), "MPI_Allreduce");

    public void BroadcastFloats(IntPtr buffer, int count, int root) => Check(bcast(buffer, count, mpiFloat, root, world), "MPI_Bcast");
    public void BroadcastInts(IntPtr buffer, int count, int root) => Check(bcast(buffer, count, mpiInt, root, world), "MPI_Bcast");

    public void Barrier() => Check(barrier(world), "MPI_Barrier");

    /// <summary>A barrier that sleeps while it waits (MPI_Ibarrier polled with MPI_Test), so that ranks waiting for
    /// rank 0's validation or test decoding leave the cores to it instead of spinning.</summary>
    public void QuietBarrier(TimeSpan poll)
    {
        Check(ibarrier(world, out IntPtr request), "MPI_Ibarrier");
        while (true)
        {
            Check(test(ref request, out int flag, IntPtr.Zero), "MPI_Test");
            if (flag != 0) return;
            Thread.Sleep(poll);
        }
    }

    /// <summary>MPI_Finalize, unless MPI is already finalised.</summary>
    public void FinalizeMpi()
    {
        Check(finalized(out int done), "MPI_Finalized");
        if (done == 0) Check(finalize(), "MPI_Finalize");
    }

    // Open MPI's default error handler (MPI_ERRORS_ARE_FATAL) aborts the job before a call returns an error; this
    // is for handlers that return.
    static void Check(int code, string call)
    {
        if (code != 0) throw new InvalidOperationException($"{call} failed with MPI error code {code}");
    }
}
