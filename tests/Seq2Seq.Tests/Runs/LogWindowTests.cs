using Seq2Seq.Runs;

namespace Seq2Seq.Tests.Runs;

public class LogWindowTests
{
    [Fact]
    public void TheLineAveragesTheLossPerTokenAndTheNormPerStepAndLeavesSkippedStepsOutOfThem()
    {
        var window = new LogWindow();
        window.Add(2.0f, 1.0, 10, 0.5, TimeSpan.Zero, TimeSpan.Zero);
        window.Add(float.NaN, double.NaN, 30, 0.5, TimeSpan.Zero, TimeSpan.Zero);   // a skipped update: tokens and time only
        window.Add(4.0f, 3.0, 30, 1.0, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40));

        var line = window.Line(logEvery: 4);

        Assert.Equal((2.0 * 10 + 4.0 * 30) / 70, line.Loss, 12);
        Assert.Equal((1.0 + 3.0) / 3, line.GradNorm, 12);
        Assert.Equal(70 / 2.0, line.TokensPerSecond, 12);
        Assert.Equal(40.0 / 4, line.ReduceMsPerStep, 9);
        Assert.Equal(20.0 / 4, line.WaitMsPerStep, 9);
        Assert.Equal(3, window.Steps);
    }

    [Fact]
    public void ResetEmptiesTheWindow()
    {
        var window = new LogWindow();
        window.Add(1.0f, 1.0, 5, 0.1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        window.Reset();
        Assert.Equivalent(new LogWindow(), window);
    }

    [Fact]
    public void TheFormattedLineShowsTheAllReduceTimesOnlyWhenDistributed()
    {
        var line = new LogLine(1.23456, 0.5, 1234.4, 12.4, 3.6);
        string single = line.Format(7, 0.25, 0.001, distributed: false, eta: "ETA 00:01:00");
        string many = line.Format(7, 0.25, 0.001, distributed: true, eta: "ETA 00:01:00");

        Assert.Equal($"step      7  epoch {0.25:F2}  loss {1.23456:F4}  lr {0.001:G3}  grad norm {0.5:G3}  {1234.4:N0} tok/s  ETA 00:01:00", single);
        Assert.Contains($"all-reduce {12.4:F0} ms/step (+{3.6:F0} waiting)  ETA", many);
        Assert.DoesNotContain("all-reduce", single);
    }
}
