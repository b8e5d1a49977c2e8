using System.Diagnostics;
using System.Text.Json;
using Seq2Seq.Configuration;
using Seq2Seq.Distributed;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

/// <summary>
/// Data-parallel training under Open MPI: 2 ranks × 1 thread reach the parameters of one process training on the
/// same global batches, and only rank 0 speaks and writes.
/// </summary>
public class DistributedTrainingTests
{
    // 512 tokens: every rank gets about half of each batch. 8 tokens: many batches hold one sentence, so rank 1 often
    // has nothing and must add a zero gradient.
    [MpiFact]
    public void TwoRanksReachTheParametersOfOneProcess() => CompareWithOneProcess(batchTokens: 512, steps: 5);

    [MpiFact]
    public void ARankWithoutASentenceAddsNothing() => CompareWithOneProcess(batchTokens: 8, steps: 5);

    static void CompareWithOneProcess(int batchTokens, int steps)
    {
        using var task = new SyntheticTask(train: 600, dev: 50);
        var single = task.Config(steps, c => c with
        {
            Training = c.Training with { BatchTokens = batchTokens, Threads = 1, LogEvery = 1, Tensorboard = false },
        }, "single");
        Trainer.Run(single, new TrainerOptions(false, _ => { }));

        var distributed = single with { RunDir = Path.Combine(task.Dir, "mpi") };
        string configPath = Path.Combine(task.Dir, "mpi.yaml");
        File.WriteAllText(configPath, ConfigLoader.ToYaml(distributed));
        var (exitCode, output) = RunMpi(2, $"train {configPath}");
        Assert.True(exitCode == 0, $"mpirun exited with {exitCode}:\n{output}");

        // Rank 0 alone prints progress; the log says how many ranks took part and how long the all-reduce took.
        Assert.Single(output.Split('\n'), l => l.Contains("stopped: max_steps"));
        Assert.Single(output.Split('\n'), l => l.Contains("run directory:"));
        Assert.Contains("data-parallel training on 2 MPI processes", output);
        var records = File.ReadLines(new RunDirectory(distributed.RunDir).Log).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var train = records.Where(r => r.GetProperty("type").GetString() == "train").ToList();
        Assert.Equal(steps, train.Count);
        Assert.All(train, r => Assert.Equal(2, r.GetProperty("ranks").GetInt32()));
        Assert.All(train, r => Assert.True(r.GetProperty("allreduce_ms_per_step").GetDouble() >= 0));
        Assert.All(train, r => Assert.True(r.GetProperty("allreduce_wait_ms_per_step").GetDouble() >= 0));

        using var a = Seq2SeqModel.Load(single.RunDir, new RunDirectory(single.RunDir).StepCheckpoint(steps));
        using var b = Seq2SeqModel.Load(distributed.RunDir, new RunDirectory(distributed.RunDir).StepCheckpoint(steps));
        foreach (var ((name, pa), (_, pb)) in a.Network.named_parameters().Zip(b.Network.named_parameters()))
        {
            double diff = (pa - pb).abs().max().item<float>();
            Assert.True(diff <= 1e-5, $"parameter {name} differs by {diff:G3} after {steps} steps on 2 ranks");
        }
    }

    [MpiFact]
    public void ACheckpointOfTwoRanksResumesInOneProcess()
    {
        using var task = new SyntheticTask(train: 600, dev: 50);
        var straight = task.Config(6, c => c with { Training = c.Training with { ValidateEvery = 3, Threads = 1, Tensorboard = false } }, "straight");
        Trainer.Run(straight, new TrainerOptions(false, _ => { }));

        // Steps 1-3 on 2 ranks, then 4-6 in one process: the checkpoint holds nothing that belongs to a rank.
        var resumed = straight with { RunDir = Path.Combine(task.Dir, "resumed") };
        string configPath = Path.Combine(task.Dir, "resumed.yaml");
        File.WriteAllText(configPath, ConfigLoader.ToYaml(resumed with { Training = resumed.Training with { MaxSteps = 3 } }));
        var (code, output) = RunMpi(2, $"train {configPath}");
        Assert.True(code == 0, $"mpirun exited with {code}:\n{output}");
        var result = Trainer.Run(resumed, new TrainerOptions(true, _ => { }));
        Assert.Equal(6, result.Steps);

        using var a = Seq2SeqModel.Load(straight.RunDir, new RunDirectory(straight.RunDir).StepCheckpoint(6));
        using var b = Seq2SeqModel.Load(resumed.RunDir, new RunDirectory(resumed.RunDir).StepCheckpoint(6));
        foreach (var ((name, pa), (_, pb)) in a.Network.named_parameters().Zip(b.Network.named_parameters()))
        {
            double diff = (pa - pb).abs().max().item<float>();
            Assert.True(diff <= 1e-5, $"parameter {name} differs by {diff:G3} after 3 steps on 2 ranks and 3 resumed in one process");
        }
    }

    static (int ExitCode, string Output) RunMpi(int ranks, string arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "s2s.dll");
        var psi = new ProcessStartInfo(MpiFactAttribute.Mpirun!,
            $"--allow-run-as-root --oversubscribe -np {ranks} dotnet \"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun {arguments} did not finish in 3 minutes");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>Choosing the process group: no MPI is touched unless a launcher or the config asks for it.</summary>
public class ProcessGroupTests
{
    [Fact]
    public void OneProcessNeedsNoMpi()
    {
        Assert.Same(ProcessGroup.Single, ProcessGroup.Open("off", new MpiLaunch("OMPI_COMM_WORLD_SIZE", 2, 2)));
        Assert.Same(ProcessGroup.Single, ProcessGroup.Open("auto", null));
        Assert.False(ProcessGroup.Single.IsDistributed);
        Assert.True(ProcessGroup.Single.Any(true));
    }

    [Fact]
    public void LaunchersAreRecognisedByTheirVariables()
    {
        MpiLaunch? From(params (string, string)[] vars) => MpiLaunch.FromVariables(n => vars.FirstOrDefault(v => v.Item1 == n).Item2);
        Assert.Null(From());
        Assert.Equal(new MpiLaunch("OMPI_COMM_WORLD_SIZE", 4, 2, 0),
            From(("OMPI_COMM_WORLD_SIZE", "4"), ("OMPI_COMM_WORLD_LOCAL_SIZE", "2"), ("OMPI_COMM_WORLD_RANK", "0")));
        Assert.Equal(new MpiLaunch("PMI_SIZE", 3, 1, 2), From(("PMI_SIZE", "3"), ("PMI_RANK", "2")));
        Assert.Equal(new MpiLaunch("PMIX_RANK", null, 1, 1), From(("PMIX_RANK", "1")));
    }

    [Fact]
    public void AMissingLibmpiSaysHowToInstallIt()
    {
        var e = Assert.Throws<ConfigException>(() => OpenMpi.Load("training.distributed: mpi", ["libno-such-mpi.so.40"]));
        Assert.Contains("training.distributed: mpi", e.Message);
        Assert.Contains("libno-such-mpi.so.40", e.Message);
        Assert.Contains("apt-get install openmpi-bin libopenmpi-dev", e.Message);
    }
}
