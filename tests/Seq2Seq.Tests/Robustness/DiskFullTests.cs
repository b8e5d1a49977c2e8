using System.Diagnostics;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Robustness;

/// <summary>A run directory on a tiny tmpfs fills up: training stops with a message and every checkpoint left verifies.</summary>
public class DiskFullTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void FullDiskStopsTrainingAndLeavesNoHalfWrittenCheckpoint()
    {
        using var task = new SyntheticTask(train: 600);
        string mount = Path.Combine(task.Dir, "small-disk");
        Directory.CreateDirectory(mount);
        if (!Run("mount", $"-t tmpfs -o size=1500k tmpfs {mount}"))
        {
            output.WriteLine("mount -t tmpfs needs root: the full-disk case was not exercised here");
            return;
        }
        try
        {
            var config = task.Config(60, c => c with
            {
                RunDir = Path.Combine(mount, "run"),
                Training = c.Training with { ValidateEvery = 5, KeepCheckpoints = 50 },
            });
            var lines = new List<string>();
            var result = Trainer.Run(config, new TrainerOptions(false, lines.Add));
            Assert.True(result.Failed, $"expected the disk to fill up; stop reason: {result.StopReason}");
            Assert.Contains("checkpoint write failed", result.StopReason);
            var run = new RunDirectory(config.RunDir);
            Assert.NotEmpty(run.StepCheckpoints());
            foreach (var (_, path) in run.StepCheckpoints()) Checkpoint.ReadProgress(path);   // each one verifies
            Assert.Empty(Directory.GetFiles(run.CheckpointDir, "*.tmp*"));
        }
        finally { Run("umount", mount); }
    }

    static bool Run(string file, string args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}
