using Seq2Seq.Configuration;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

/// <summary>Trains a config straight through, and again stopped at <c>stopAt</c> steps and resumed; asserts that the
/// second run says it resumed and that both end with the same parameters.</summary>
public static class ResumeCheck
{
    /// <returns>The run directory of the interrupted-and-resumed run.</returns>
    public static RunDirectory AssertResumeMatchesStraightRun(RunConfig straight, string resumedDir, int stopAt)
    {
        int total = straight.Training.MaxSteps;
        var interrupted = straight with { RunDir = resumedDir };
        Trainer.Run(straight, new TrainerOptions(false, _ => { }));
        Trainer.Run(interrupted with { Training = interrupted.Training with { MaxSteps = stopAt } }, new TrainerOptions(false, _ => { }));
        var lines = new List<string>();
        Trainer.Run(interrupted, new TrainerOptions(true, lines.Add));
        Assert.Contains(lines, l => l.Contains("resumed from") && l.Contains($"step {stopAt}"));

        var resumed = new RunDirectory(interrupted.RunDir);
        using var a = Seq2SeqModel.Load(straight.RunDir, new RunDirectory(straight.RunDir).StepCheckpoint(total));
        using var b = Seq2SeqModel.Load(interrupted.RunDir, resumed.StepCheckpoint(total));
        foreach (var ((name, pa), (_, pb)) in a.Network.named_parameters().Zip(b.Network.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), $"parameter {name} differs");
        return resumed;
    }
}
