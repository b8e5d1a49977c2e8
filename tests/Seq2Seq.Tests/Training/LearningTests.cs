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
        using var model = Seq2SeqModel.Load(config.RunDir);
        var test = task.Pairs("test");
        var outputs = model.Translate(test.Select(p => p.Source).ToList(), beam: 1);
        double exact = outputs.Zip(test).Count(x => x.First.Text == x.Second.Target) / (double)test.Count;
        Assert.True(exact >= 0.95, $"exact match {exact:P1} < 95%");
    }
}
