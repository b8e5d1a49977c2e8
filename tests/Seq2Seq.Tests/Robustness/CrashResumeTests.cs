using System.Diagnostics;
using Seq2Seq.Configuration;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Robustness;

/// <summary>
/// kill -9 of a training process (aimed at a checkpoint write), a corrupted newest checkpoint, and resume: the
/// final parameters equal those of an uninterrupted run bit for bit.
/// </summary>
public class CrashResumeTests
{
    [Fact]
    public void KilledRunWithCorruptNewestCheckpointResumesToTheSameParameters()
    {
        using var task = new SyntheticTask(train: 1500);
        var straight = task.Config(40, c => c with
        {
            Model = c.Model with { Dropout = 0.2 },
            Training = c.Training with { ValidateEvery = 10, KeepCheckpoints = 3 },
            Decoding = c.Decoding with { BeamSize = 1 },
        }, "straight");
        Trainer.Run(straight, new TrainerOptions(false, _ => { }));

        var crashed = straight with { RunDir = Path.Combine(task.Dir, "crashed") };
        string configPath = Path.Combine(task.Dir, "crashed.yaml");
        File.WriteAllText(configPath, ConfigLoader.ToYaml(crashed));
        var run = new RunDirectory(crashed.RunDir);

        // Start training in a child process and kill it as soon as a checkpoint is being written (a temp file in
        // checkpoints/) after step 20, or failing that once the step-30 checkpoint exists.
        using (var child = StartS2s($"train {configPath}"))
        {
            var clock = Stopwatch.StartNew();
            while (!child.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                bool late = run.StepCheckpoints().Any(c => c.Step >= 20);
                bool writing = Directory.Exists(run.CheckpointDir) && Directory.GetFiles(run.CheckpointDir, ".*.tmp").Length > 0;
                if ((late && writing) || run.StepCheckpoints().Any(c => c.Step >= 30)) break;
                Thread.Sleep(1);
            }
            Assert.False(child.HasExited, "the training process ended before it could be killed");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
        var left = run.StepCheckpoints();
        Assert.NotEmpty(left);

        // Corrupt the newest complete checkpoint: resume must say so and fall back to the one before.
        if (left.Count >= 2)
        {
            var bytes = File.ReadAllBytes(left[0].Path);
            bytes[bytes.Length / 2] ^= 0xFF;
            File.WriteAllBytes(left[0].Path, bytes);
        }
        var lines = new List<string>();
        Trainer.Run(crashed, new TrainerOptions(true, lines.Add));
        if (left.Count >= 2) Assert.Contains(lines, l => l.Contains("checksum mismatch") && l.Contains("previous checkpoint"));

        using var a = Seq2SeqModel.Load(straight.RunDir, new RunDirectory(straight.RunDir).StepCheckpoint(40));
        using var b = Seq2SeqModel.Load(crashed.RunDir, run.StepCheckpoint(40));
        foreach (var ((name, pa), (_, pb)) in a.Network.named_parameters().Zip(b.Network.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), $"parameter {name} differs after kill -9 and resume");
        // No step is logged twice.
        var steps = File.ReadLines(run.Log).Where(l => l.Contains("\"validation\"")).Select(l => l).ToList();
        Assert.Equal(4, steps.Count);
    }

    [Fact]
    public void UnwritableCheckpointFolderStopsWithAMessageAndKeepsOldCheckpoints()
    {
        using var task = new SyntheticTask(train: 600);
        var config = task.Config(20, c => c with { Training = c.Training with { ValidateEvery = 10 } });
        var run = new RunDirectory(config.RunDir);
        // A file where the step-20 checkpoint's temp file must go makes that write fail like a full disk would.
        var lines = new List<string>();
        Trainer.Run(config with { Training = config.Training with { MaxSteps = 10 } }, new TrainerOptions(false, lines.Add));
        string blocker = Path.Combine(run.CheckpointDir, $".{Path.GetFileName(run.StepCheckpoint(20))}.{Environment.ProcessId}.tmp");
        Directory.CreateDirectory(blocker);   // a directory: the temp file cannot be created
        var result = Trainer.Run(config, new TrainerOptions(true, lines.Add));
        Assert.True(result.Failed);
        Assert.Contains("checkpoint write failed at step 20", result.StopReason);
        Assert.Contains(lines, l => l.Contains("could not write a checkpoint") && l.Contains("step-00000010.ckpt"));
        Assert.Equal(10, Checkpoint.ReadProgress(run.StepCheckpoint(10)).Step);
        Assert.False(File.Exists(run.StepCheckpoint(20)));
        Directory.Delete(blocker);
    }

    [Fact]
    public void SigtermSavesACheckpointAndExitsCleanly()
    {
        using var task = new SyntheticTask(train: 1500);
        var config = task.Config(1_000_000, c => c with { Training = c.Training with { ValidateEvery = 100_000, LogEvery = 5 } });
        string configPath = Path.Combine(task.Dir, "term.yaml");
        File.WriteAllText(configPath, ConfigLoader.ToYaml(config));
        var run = new RunDirectory(config.RunDir);
        using var child = StartS2s($"train {configPath}");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(run.Log) && File.ReadAllText(run.Log).Contains("\"train\"")) && clock.Elapsed < TimeSpan.FromMinutes(1))
            Thread.Sleep(50);
        Assert.False(child.HasExited);
        Process.Start("kill", $"-TERM {child.Id}")!.WaitForExit();
        Assert.True(child.WaitForExit(60_000), "the process did not stop after SIGTERM");
        Assert.Equal(0, child.ExitCode);
        var saved = run.StepCheckpoints();
        Assert.NotEmpty(saved);
        Assert.True(Checkpoint.ReadProgress(saved[0].Path).Step >= 5);
        Assert.Contains("interrupted", File.ReadLines(run.Log).Last());
    }

    [Fact]
    public void LoadingForTranslationSkipsACorruptBestCheckpoint()
    {
        using var task = new SyntheticTask(train: 300);
        var config = task.Config(4, c => c with { Training = c.Training with { ValidateEvery = 2 } });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        var run = new RunDirectory(config.RunDir);
        File.WriteAllBytes(run.BestCheckpoint, [1, 2, 3]);
        using var model = Seq2SeqModel.Load(config.RunDir);
        Assert.Equal(run.StepCheckpoint(4), model.Checkpoint);
    }

    internal static Process StartS2s(string arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "s2s.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
