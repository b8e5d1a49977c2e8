using Seq2Seq.Runs;
using Seq2Seq.Tests.Models;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Runs;

public class CheckpointAverageTests
{
    [Fact]
    public void TheAverageOfTwoCheckpointsIsTheMeanOfEachParameterWithTheNewestProgress()
    {
        using var dir = new SyntheticTask(train: 10);
        using var a = ModelTestKit.Model(20, 15, seed: 1);
        using var b = ModelTestKit.Model(20, 15, seed: 2);
        using var target = ModelTestKit.Model(20, 15, seed: 3);
        string pa = Path.Combine(dir.Dir, "a.ckpt"), pb = Path.Combine(dir.Dir, "b.ckpt"), avg = Path.Combine(dir.Dir, "avg.ckpt");
        Checkpoint.Save(pa, a, null, new TrainingProgress { Step = 200 });
        Checkpoint.Save(pb, b, null, new TrainingProgress { Step = 100 });

        var progress = CheckpointAverage.Write([pa, pb], target, avg);

        Assert.Equal(200, progress.Step);
        Assert.Equal(200, Checkpoint.ReadProgress(avg).Step);
        using var reloaded = ModelTestKit.Model(20, 15, seed: 4);
        Checkpoint.Load(avg, reloaded);
        var pa2 = a.state_dict();
        var pb2 = b.state_dict();
        foreach (var (name, value) in reloaded.state_dict())
        {
            using var expected = (pa2[name] + pb2[name]) / 2;
            Assert.True(allclose(value, expected, rtol: 0, atol: 1e-7), name);
        }
    }

    [Fact]
    public void TheAverageOfOneCheckpointRepeatsItExactly()
    {
        using var dir = new SyntheticTask(train: 10);
        using var a = ModelTestKit.Model(20, 15, seed: 1);
        using var target = ModelTestKit.Model(20, 15, seed: 3);
        string pa = Path.Combine(dir.Dir, "a.ckpt"), avg = Path.Combine(dir.Dir, "avg.ckpt");
        Checkpoint.Save(pa, a, null, new TrainingProgress { Step = 5 });
        CheckpointAverage.Write([pa], target, avg);
        ModelTestKit.AssertSameDecodingAndParameters(a, target, 20);
        Assert.Throws<ArgumentException>(() => CheckpointAverage.Write([pa, pa], target, avg));
    }
}
