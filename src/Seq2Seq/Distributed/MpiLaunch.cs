namespace Seq2Seq.Distributed;

/// <summary>
/// What an MPI launcher told this process through its environment: Open MPI's <c>mpirun</c> sets
/// <c>OMPI_COMM_WORLD_SIZE</c>/<c>_RANK</c>/<c>_LOCAL_SIZE</c>; Hydra-based launchers (MPICH, Intel MPI) set
/// <c>PMI_SIZE</c>/<c>PMI_RANK</c>; PMIx launchers (e.g. Slurm's <c>srun --mpi=pmix</c>) set <c>PMIX_RANK</c>.
/// </summary>
public sealed record MpiLaunch(string Variable, int? Size, int LocalSize, int? Rank = null)
{
    /// <summary>The launch this process is part of, or null when no launcher started it.</summary>
    public static MpiLaunch? FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="FromEnvironment"/>, reading variables through <paramref name="get"/> (for tests).</summary>
    public static MpiLaunch? FromVariables(Func<string, string?> get)
    {
        int? Int(string name, int min = 1) => int.TryParse(get(name), out int v) && v >= min ? v : null;
        int local = Int("OMPI_COMM_WORLD_LOCAL_SIZE") ?? Int("MPI_LOCALNRANKS") ?? 1;
        int? rank = Int("OMPI_COMM_WORLD_RANK", 0) ?? Int("PMI_RANK", 0) ?? Int("PMIX_RANK", 0);
        foreach (var name in new[] { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE" })
            if (Int(name) is int size) return new MpiLaunch(name, size, local, rank);
        return get("PMIX_RANK") is not null ? new MpiLaunch("PMIX_RANK", null, local, rank) : null;
    }
}
