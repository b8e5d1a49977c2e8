using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

/// <summary>Proves the model learns: a tiny model masters the reverse task in a fixed number of steps.</summary>
public class LearningTests
{
    [Fact]
    public void ReverseTaskReaches95PercentExactMatch()
    {
        using var task = new SyntheticTask(reverse: true);
        var config = task.Config(maxSteps: 400);
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        double exact = task.GreedyExactMatch(config.RunDir);
        Assert.True(exact >= 0.95, $"exact match {exact:P1} < 95%");
    }
}
