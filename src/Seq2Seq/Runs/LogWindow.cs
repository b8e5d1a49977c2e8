namespace Seq2Seq.Runs;

/// <summary>Sums over the steps since the last training-log line (training.log_every).</summary>
public sealed class LogWindow
{
    public long Tokens { get; set; }
    /// <summary>Loss times tokens, summed over the window's finite steps.</summary>
    public double Loss { get; set; }
    public double GradNorm { get; set; }
    public int Steps { get; set; }
    public double Seconds { get; set; }
    public double ReduceSeconds { get; set; }
    public double WaitSeconds { get; set; }

    /// <summary>Counts one step; a non-finite loss or gradient norm (a skipped update) adds its tokens and time only.</summary>
    /// <param name="loss">The step's mean loss per target token.</param>
    /// <param name="gradNorm">The gradients' norm before clipping.</param>
    /// <param name="wait">Time waiting for the other ranks; <paramref name="reduce"/>: time summing gradients over them.</param>
    public void Add(float loss, double gradNorm, int tokens, double seconds, TimeSpan wait, TimeSpan reduce)
    {
        (WaitSeconds, ReduceSeconds) = (WaitSeconds + wait.TotalSeconds, ReduceSeconds + reduce.TotalSeconds);
        Tokens += tokens;
        Loss += float.IsFinite(loss) ? loss * tokens : 0;
        GradNorm += double.IsFinite(gradNorm) ? gradNorm : 0;
        Steps++;
        Seconds += seconds;
    }

    /// <summary>The window's averages for a log line.</summary>
    /// <param name="logEvery">The steps a window spans (training.log_every): the all-reduce times are per step of it.</param>
    public LogLine Line(int logEvery) =>
        new(Loss / Tokens, GradNorm / Steps, Tokens / Seconds, ReduceSeconds * 1000 / logEvery, WaitSeconds * 1000 / logEvery);

    public void Reset() => (Tokens, Loss, GradNorm, Steps, Seconds, ReduceSeconds, WaitSeconds) = (0, 0, 0, 0, 0, 0, 0);
}
