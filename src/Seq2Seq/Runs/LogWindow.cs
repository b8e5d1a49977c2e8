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

    public void Reset() => (Tokens, Loss, GradNorm, Steps, Seconds, ReduceSeconds, WaitSeconds) = (0, 0, 0, 0, 0, 0, 0);
}
