using System.Runtime.InteropServices;
using Seq2Seq.Distributed;

namespace Seq2Seq.Tests.Training;

/// <summary>A fact that needs Open MPI (<c>mpirun</c> and <c>libmpi.so.40</c>); skipped, saying why, without it.
/// .ci/run installs it.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MissingMpi() is { } missing) Skip = missing;
    }

    /// <summary>The full path of mpirun, or null.</summary>
    public static string? Mpirun { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(dir => Path.Combine(dir, "mpirun")).FirstOrDefault(File.Exists);

    public static string? MissingMpi()
    {
        if (Mpirun is null) return $"mpirun not found on PATH; {OpenMpi.InstallHint}";
        if (!NativeLibrary.TryLoad(OpenMpi.LibraryNames[0], out var lib)) return $"{OpenMpi.LibraryNames[0]} not found; {OpenMpi.InstallHint}";
        NativeLibrary.Free(lib);
        return null;
    }
}
