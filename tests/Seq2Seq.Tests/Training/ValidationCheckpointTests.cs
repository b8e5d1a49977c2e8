using Seq2Seq.Runs;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Training;

/// <summary>A validation and its checkpoint in isolation (the end-to-end view is OutOfScheduleStopTests').</summary>
public class ValidationCheckpointTests
{
    [Fact]
    public void AnOutOfScheduleValidationWritesItsCheckpointButLeavesTheScheduleAndBestAlone()
    {
        using var task = new SyntheticTask(train: 60, dev: 10);
        var config = task.Config(0, c => c with { Training = c.Training with { Patience = 1 } });
        var run = new RunDirectory(config.RunDir);
        var data = PreparedData.Load(config.Data, run, null, _ => { });
        Directory.CreateDirectory(run.CheckpointDir);
        using var session = TrainingSession.Open(config, data, TrainingSession.CheckedSchedule(config), null, CPU, _ => { });
        using var trainLog = new TrainingLog(run.Log, null);
        var lines = new List<string>();
        var validation = new ValidationCheckpoint(session, data, config, run, trainLog, null, lines.Add);
        var progress = session.Progress;
        progress.Step = 3;
        var scheduleBefore = (progress.ScheduleRate, progress.ScheduleBestLoss, progress.ScheduleBadValidations);

        var (reason, fault) = validation.Run(seconds: 12, scheduled: false);

        Assert.Null(reason);
        Assert.False(fault);
        Assert.True(File.Exists(run.StepCheckpoint(3)));
        Assert.False(File.Exists(run.BestCheckpoint));
        Assert.Null(progress.BestScore);
        Assert.Equal(0, progress.ValidationsWithoutImprovement);
        Assert.Equal(scheduleBefore, (progress.ScheduleRate, progress.ScheduleBestLoss, progress.ScheduleBadValidations));
        Assert.Equal(double.PositiveInfinity, session.Schedule.BestLoss);
        Assert.Equal(12, progress.Seconds);
        Assert.Contains(lines, l => l.Contains("validation at step 3") && l.Contains("out of schedule"));
        Assert.Contains("\"scheduled\":false", File.ReadAllText(run.Log));

        // The same step validated on schedule counts: it is the best so far, and the schedule sees its loss.
        var (scheduledReason, _) = validation.Run(seconds: 13, scheduled: true);
        Assert.Null(scheduledReason);
        Assert.True(File.Exists(run.BestCheckpoint));
        Assert.Equal(3, progress.BestStep);
        Assert.NotNull(progress.BestScore);
        Assert.Equal(session.Schedule.BestLoss, progress.ScheduleBestLoss);
        Assert.True(double.IsFinite(progress.ScheduleBestLoss));

        // Another scheduled validation of the same weights does not improve: with patience 1 that stops the run.
        progress.Step = 4;
        var (patienceReason, patienceFault) = validation.Run(seconds: 14, scheduled: true);
        Assert.False(patienceFault);
        Assert.StartsWith("early stopping:", patienceReason);
        Assert.Equal(1, progress.ValidationsWithoutImprovement);
    }
}
