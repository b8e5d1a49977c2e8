using Seq2Seq.Models;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

public class EmaTrainingTests
{
    [Fact]
    public void TheAverageIsValidatedKeptAsTheBestCheckpointAndResumedExactly()
    {
        using var task = new SyntheticTask(train: 1500);
        var straight = task.Config(30, c => c with
        {
            Model = c.Model with { Dropout = 0.2 },
            Training = c.Training with { ValidateEvery = 10, Ema = 0.9 },
        }, "straight");
        var resumed = ResumeCheck.AssertResumeMatchesStraightRun(straight, Path.Combine(task.Dir, "resumed"), stopAt: 10);
        var run = new RunDirectory(straight.RunDir);

        // best.ckpt holds the average: not the raw weights of its step, and the same after a resume (the average was
        // restored from the step checkpoint, not restarted).
        int best = Checkpoint.ReadProgress(run.BestCheckpoint).BestStep;
        using var averaged = Seq2SeqModel.Load(run.Path, run.BestCheckpoint);
        using var averagedAfterResume = Seq2SeqModel.Load(resumed.Path, resumed.BestCheckpoint);
        Assert.Equal(best, Checkpoint.ReadProgress(resumed.BestCheckpoint).BestStep);
        foreach (var ((name, a), (_, b)) in averaged.Network.named_parameters().Zip(averagedAfterResume.Network.named_parameters()))
            Assert.True(a.eq(b).all().item<bool>(), $"averaged parameter {name} differs after resume");
        if (File.Exists(run.StepCheckpoint(best)))
        {
            using var raw = Seq2SeqModel.Load(run.Path, run.StepCheckpoint(best));
            Assert.Contains(averaged.Network.named_parameters().Zip(raw.Network.named_parameters()), p => !p.First.parameter.eq(p.Second.parameter).all().item<bool>());
        }
    }

    [Fact]
    public void ADecayOfOneOrMoreIsAConfigError()
    {
        using var task = new SyntheticTask(train: 50);
        var config = task.Config(2, c => c with { Training = c.Training with { Ema = 1.0 } });
        var e = Assert.Throws<Seq2Seq.Configuration.ConfigException>(() => Trainer.Run(config, new TrainerOptions(false, _ => { })));
        Assert.Contains("training.ema", e.Message);
    }
}
