using Seq2Seq.Configuration;

namespace Seq2Seq.Training;

/// <summary>
/// Learning-rate schedule. <c>plateau</c>: multiply by plateau_factor when the dev loss has not improved for
/// plateau_patience validations (floor min_learning_rate). <c>warmup</c>: linear warmup over warmup_steps, then
/// inverse square root decay (Noam). <c>constant</c>. The mutable fields are the state saved in checkpoints.
/// </summary>
public sealed class LearningRateSchedule(TrainingConfig config)
{
    /// <summary>Current rate for plateau/constant; kept in checkpoints.</summary>
    public double Rate { get; set; } = config.LearningRate;
    /// <summary>Best dev loss seen by the plateau rule.</summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;
    /// <summary>Validations since the dev loss last improved.</summary>
    public int BadValidations { get; set; }

    /// <summary>The rate to use for update number <paramref name="step"/> (1-based).</summary>
    public double RateAt(int step)
    {
        if (config.Schedule != "warmup") return Rate;
        int w = Math.Max(1, config.WarmupSteps);
        return config.LearningRate * Math.Min(step / (double)w, Math.Sqrt(w / (double)Math.Max(step, 1)));
    }

    /// <summary>Feeds a dev loss to the plateau rule (PyTorch ReduceLROnPlateau, mode min, relative threshold 1e-4).</summary>
    public void OnValidation(double devLoss)
    {
        if (config.Schedule != "plateau") return;
        if (devLoss < BestLoss * (1 - 1e-4)) { BestLoss = devLoss; BadValidations = 0; return; }
        if (++BadValidations > config.PlateauPatience)
        {
            Rate = Math.Max(Rate * config.PlateauFactor, config.MinLearningRate);
            BadValidations = 0;
        }
    }
}
