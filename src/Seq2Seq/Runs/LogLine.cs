namespace Seq2Seq.Runs;

/// <summary>One training-log line: the averages of a <see cref="LogWindow"/>.</summary>
/// <param name="Loss">Mean loss per target token over the window's finite steps.</param>
/// <param name="GradNorm">Mean gradient norm per step, before clipping.</param>
/// <param name="TokensPerSecond">Target tokens per second of step time.</param>
/// <param name="ReduceMsPerStep">Milliseconds per step spent summing gradients over the ranks.</param>
/// <param name="WaitMsPerStep">Milliseconds per step spent waiting for the other ranks.</param>
public sealed record LogLine(double Loss, double GradNorm, double TokensPerSecond, double ReduceMsPerStep, double WaitMsPerStep)
{
    /// <summary>The line as the console shows it; <paramref name="distributed"/> adds the all-reduce times.</summary>
    public string Format(int step, double epoch, double learningRate, bool distributed, string eta) =>
        $"step {step,6}  epoch {epoch:F2}  loss {Loss:F4}  lr {learningRate:G3}  grad norm {GradNorm:G3}  {TokensPerSecond:N0} tok/s  " +
        (distributed ? $"all-reduce {ReduceMsPerStep:F0} ms/step (+{WaitMsPerStep:F0} waiting)  " : "") + eta;
}
