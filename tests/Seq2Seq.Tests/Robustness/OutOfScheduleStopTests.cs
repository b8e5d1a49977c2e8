using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Seq2Seq.Configuration;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Robustness;

/// <summary>
/// Stops between validations (a cancellation as SIGTERM/Ctrl+C give it, max_minutes, a real SIGTERM and kill -9 at
/// steps the test does not choose) and resumes: with the plateau schedule at patience 1 and dropout on, the final
/// weights, Adam state, random-number state and schedule/early-stopping state equal an uninterrupted run's bit for bit.
/// </summary>
public class OutOfScheduleStopTests
{
    static RunConfig Straight(SyntheticTask task) => task.Config(40, c => c with
    {
        Model = c.Model with { Dropout = 0.2 },
        Training = c.Training with
        {
            ValidateEvery = 10, LogEvery = 3, Schedule = "plateau", PlateauPatience = 1, PlateauFactor = 0.5,
            LearningRate = 1e-2, BestMetric = "loss", KeepCheckpoints = 10,
        },
    }, "straight");

    [Fact]
    public void CancelAndMaxMinutesStopsBetweenValidationsResumeToTheUninterruptedRun()
    {
        using var task = new SyntheticTask(train: 1500);
        var straight = Straight(task);
        Trainer.Run(straight, new TrainerOptions(false, _ => { }));
        var straightRun = new RunDirectory(straight.RunDir);

        // 1. Cancelled at step 12 (what the CLI's SIGTERM/SIGINT handler does).
        var stopped = straight with { RunDir = Path.Combine(task.Dir, "stopped") };
        var run = new RunDirectory(stopped.RunDir);
        using (var cancel = new CancellationTokenSource())
        {
            var lines = new List<string>();
            var result = Trainer.Run(stopped, new TrainerOptions(false, line =>
            {
                lines.Add(line);
                if (line.StartsWith("step     12 ", StringComparison.Ordinal)) cancel.Cancel();
            }, cancel.Token));
            Assert.Equal(12, result.Steps);
            // The step-12 checkpoint carries the state the uninterrupted run had after its step-10 validation.
            AssertSameScheduleState(straightRun.StepCheckpoint(10), run.StepCheckpoint(12));
            Assert.Equal(Checkpoint.ReadProgress(straightRun.StepCheckpoint(10)).BestStep, Checkpoint.ReadProgress(run.BestCheckpoint).Step);
            Assert.Contains(lines, l => l.Contains("validation at step 12") && l.Contains("out of schedule"));
        }

        // 2. max_minutes reached one step after the resume (the limit is just above the time already spent).
        double spent = Checkpoint.ReadProgress(run.StepCheckpoint(12)).Seconds;
        var timed = stopped with { Training = stopped.Training with { MaxMinutes = (spent + 0.0005) / 60 } };
        var timedResult = Trainer.Run(timed, new TrainerOptions(true, _ => { }));
        Assert.Contains("max_minutes", timedResult.StopReason);
        Assert.Equal(13, timedResult.Steps);
        AssertSameScheduleState(straightRun.StepCheckpoint(10), run.StepCheckpoint(13));

        // 3. Resumed to the end.
        Trainer.Run(stopped, new TrainerOptions(true, _ => { }));
        AssertSameTrainingState(straightRun.StepCheckpoint(40), run.StepCheckpoint(40));
        Assert.Equal(Checkpoint.ReadProgress(straightRun.BestCheckpoint).Step, Checkpoint.ReadProgress(run.BestCheckpoint).Step);
        // The training-log line after the max_minutes stop (step 15) averages over steps 13-15, as the uninterrupted run's.
        Assert.Equal(TrainLosses(straightRun.Log), TrainLosses(run.Log));
    }

    [Fact]
    public void SigtermAndKillAtUnchosenStepsResumeToTheUninterruptedRun()
    {
        using var task = new SyntheticTask(train: 1500);
        var straight = Straight(task);
        Trainer.Run(straight, new TrainerOptions(false, _ => { }));

        var crashed = straight with { RunDir = Path.Combine(task.Dir, "crashed") };
        string configPath = Path.Combine(task.Dir, "crashed.yaml");
        File.WriteAllText(configPath, ConfigLoader.ToYaml(crashed));
        var run = new RunDirectory(crashed.RunDir);
        var random = new Random();
        int termAfter = random.Next(11, 20), killAfter = random.Next(1, 15);

        // SIGTERM once the child has logged step termAfter (it stops at whichever step it is on then).
        using (var child = CrashResumeTests.StartS2s($"train {configPath}"))
        {
            WaitForLoggedStep(child, run, termAfter);
            Process.Start("kill", $"-TERM {child.Id}")!.WaitForExit();
            Assert.True(child.WaitForExit(60_000), "the process did not stop after SIGTERM");
            Assert.Equal(0, child.ExitCode);
        }
        int termStep = run.StepCheckpoints()[0].Step;

        // kill -9 some steps after the resume.
        using (var child = CrashResumeTests.StartS2s($"train {configPath} --resume"))
        {
            WaitForLoggedStep(child, run, termStep + killAfter);
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        Trainer.Run(crashed, new TrainerOptions(true, _ => { }));
        var straightRun = new RunDirectory(straight.RunDir);
        AssertSameTrainingState(straightRun.StepCheckpoint(40), run.StepCheckpoint(40),
            $"SIGTERM after step {termAfter} (stopped at {termStep}), kill -9 after step {termStep + killAfter}");
        Assert.Equal(Checkpoint.ReadProgress(straightRun.BestCheckpoint).Step, Checkpoint.ReadProgress(run.BestCheckpoint).Step);
        // The first log line after each resume averages over the same steps as the uninterrupted run's.
        Assert.Equal(TrainLosses(straightRun.Log), TrainLosses(run.Log));
    }

    static void WaitForLoggedStep(Process child, RunDirectory run, int step)
    {
        var clock = Stopwatch.StartNew();
        while (!child.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2) && LastLoggedStep(run) < step) Thread.Sleep(2);
        Assert.False(child.HasExited, $"the training process ended before step {step}");
    }

    static int LastLoggedStep(RunDirectory run)
    {
        if (!File.Exists(run.Log)) return 0;
        using var stream = new FileStream(run.Log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        int last = 0;
        while (reader.ReadLine() is { } line)
            if (line.Contains("\"train\"") && line.EndsWith('}')) last = JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt32();
        return last;
    }

    static List<(int, double)> TrainLosses(string log) => File.ReadLines(log)
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Where(e => e.GetProperty("type").GetString() == "train")
        .Select(e => (e.GetProperty("step").GetInt32(), e.GetProperty("loss").GetDouble())).ToList();

    /// <summary>The learning-rate schedule, patience and best-checkpoint state of two checkpoints' progress records.</summary>
    static void AssertSameScheduleState(string expected, string actual)
    {
        var a = Checkpoint.ReadProgress(expected);
        var b = Checkpoint.ReadProgress(actual);
        Assert.Equal((a.ScheduleRate, a.ScheduleBestLoss, a.ScheduleBadValidations), (b.ScheduleRate, b.ScheduleBestLoss, b.ScheduleBadValidations));
        Assert.Equal((a.BestScore, a.BestStep, a.ValidationsWithoutImprovement), (b.BestScore, b.BestStep, b.ValidationsWithoutImprovement));
    }

    /// <summary>Weights, optimiser and RNG sections byte for byte, and every progress field but wall time.</summary>
    static void AssertSameTrainingState(string expected, string actual, string context = "")
    {
        var (pa, sa) = Sections(expected);
        var (pb, sb) = Sections(actual);
        string[] names = ["weights", "optimiser state", "random-number state"];
        for (int i = 0; i < names.Length; i++)
            Assert.True(sa[i].AsSpan().SequenceEqual(sb[i]), $"{names[i]} differs from the uninterrupted run's {context}");
        Assert.Equal((pa.Step, pa.Epoch, pa.BatchInEpoch, pa.TargetTokens, pa.BadSteps), (pb.Step, pb.Epoch, pb.BatchInEpoch, pb.TargetTokens, pb.BadSteps));
        AssertSameScheduleState(expected, actual);
    }

    // The file layout of Checkpoint.Save: magic, version, payload length, then the progress JSON and three
    // length-prefixed sections (weights, optimiser, RNG), then the SHA-256.
    static (TrainingProgress Progress, byte[][] Sections) Sections(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        r.ReadBytes(8 + 4 + 8);
        var progress = JsonSerializer.Deserialize<TrainingProgress>(r.ReadString(), new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals })!;
        var sections = new byte[3][];
        for (int i = 0; i < 3; i++) sections[i] = r.ReadBytes(checked((int)r.ReadInt64()));
        return (progress, sections);
    }
}
