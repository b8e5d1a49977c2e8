using Seq2Seq.Configuration;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

public class LearningRateScheduleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(3999)]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(50000)]
    public void NoamFollowsTheFormula(int step)
    {
        // learning_rate is the scale factor: factor · d^-0.5 · min(step^-0.5, step · warmup^-1.5).
        const int d = 512, warmup = 4000;
        const double factor = 2.0;
        var schedule = new LearningRateSchedule(new TrainingConfig { Schedule = "noam", LearningRate = factor, WarmupSteps = warmup }, d);
        double expected = factor * Math.Pow(d, -0.5) * Math.Min(Math.Pow(step, -0.5), step * Math.Pow(warmup, -1.5));
        Assert.Equal(expected, schedule.RateAt(step), 12);
    }

    [Fact]
    public void NoamPeaksAtTheEndOfWarmupAndTakesTheTransformersModelSize()
    {
        var model = new ModelConfig { Type = "transformer", Transformer = new TransformerConfig { ModelSize = 256 } };
        Assert.Equal(256, LearningRateSchedule.ModelSize(model));
        Assert.Equal(512, LearningRateSchedule.ModelSize(new ModelConfig()));   // rnn: the decoder's hidden size
        var schedule = new LearningRateSchedule(new TrainingConfig { Schedule = "noam", LearningRate = 1.0, WarmupSteps = 100 }, 256);
        Assert.Equal(1 / Math.Sqrt(256 * 100), schedule.RateAt(100), 12);
        Assert.True(schedule.RateAt(99) < schedule.RateAt(100) && schedule.RateAt(101) < schedule.RateAt(100));
        var e = Assert.Throws<ConfigException>(() => new LearningRateSchedule(new TrainingConfig { Schedule = "noam", WarmupSteps = 0 }, 256));
        Assert.StartsWith("training.warmup_steps", e.Message);
    }

    [Fact]
    public void WarmupIsUnchanged()
    {
        var schedule = new LearningRateSchedule(new TrainingConfig { Schedule = "warmup", LearningRate = 1e-3, WarmupSteps = 10 }, 512);
        Assert.Equal(1e-4, schedule.RateAt(1), 15);
        Assert.Equal(1e-3, schedule.RateAt(10), 15);
        Assert.Equal(1e-3 * Math.Sqrt(10 / 40.0), schedule.RateAt(40), 15);
    }
}
