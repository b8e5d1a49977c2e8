namespace Seq2Seq.Runs;

/// <summary>Where training stands; saved in every checkpoint so that <c>--resume</c> continues exactly.</summary>
public sealed record TrainingProgress
{
    /// <summary>Updates done.</summary>
    public int Step { get; set; }
    /// <summary>Completed epochs.</summary>
    public int Epoch { get; set; }
    /// <summary>Batches of the current epoch already used (the epoch's order is a function of seed and epoch).</summary>
    public int BatchInEpoch { get; set; }
    public long TargetTokens { get; set; }
    /// <summary>Training wall time so far (incl. validation), summed over resumed runs.</summary>
    public double Seconds { get; set; }
    public double? BestScore { get; set; }
    public int BestStep { get; set; }
    public int ValidationsWithoutImprovement { get; set; }
    public double ScheduleRate { get; set; }
    public double ScheduleBestLoss { get; set; } = double.PositiveInfinity;
    public int ScheduleBadValidations { get; set; }
    /// <summary>Non-finite updates in a row so far (training.max_bad_steps counts across a resume).</summary>
    public int BadSteps { get; set; }
    /// <summary>The sums of the training-log window open at this step, so that the first log line after a resume
    /// averages over the same steps as an uninterrupted run's.</summary>
    public LogWindow Window { get; set; } = new();
}
