using Seq2Seq.Configuration;

namespace Seq2Seq.Training;

/// <summary>
/// Learning-rate schedule. <c>plateau</c>: multiply by plateau_factor when the dev loss has not improved for
/// plateau_patience validations (floor min_learning_rate). <c>warmup</c>: linear warmup over warmup_steps to
/// learning_rate, then inverse square root decay. <c>noam</c> (Vaswani et al. 2017):
/// learning_rate · d^-0.5 · min(step^-0.5, step · warmup_steps^-1.5), where learning_rate is the scale factor (the paper
/// uses 1; 2 is common) and d the model size (<see cref="ModelSize"/>); it peaks at step warmup_steps with
/// learning_rate · (d · warmup_steps)^-0.5. <c>constant</c>. The mutable fields are the state saved in checkpoints.
/// </summary>
public sealed class LearningRateSchedule
{
    readonly TrainingConfig config;
    readonly int modelSize;

    /// <param name="modelSize">d of the noam formula (<see cref="ModelSize"/> of the run's model config).</param>
    /// <exception cref="ConfigException">warmup_steps is not positive for noam.</exception>
    public LearningRateSchedule(TrainingConfig config, int modelSize)
    {
        if (config.Schedule == Schedules.Noam && config.WarmupSteps <= 0)
            throw new ConfigException($"training.warmup_steps: must be positive for the noam schedule; got {config.WarmupSteps}");
        this.config = config;
        this.modelSize = modelSize;
        Rate = config.LearningRate;
    }

    /// <summary>The d of the noam formula: model.transformer.model_size for a Transformer, model.decoder.hidden_size for an RNN.</summary>
    public static int ModelSize(ModelConfig model) => model.OutputSize();

    /// <summary>Current rate for plateau/constant; kept in checkpoints.</summary>
    public double Rate { get; set; }
    /// <summary>Best dev loss seen by the plateau rule.</summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;
    /// <summary>Validations since the dev loss last improved.</summary>
    public int BadValidations { get; set; }

    /// <summary>The rate to use for update number <paramref name="step"/> (1-based).</summary>
    public double RateAt(int step)
    {
        double s = Math.Max(step, 1);
        switch (config.Schedule)
        {
            case Schedules.Warmup:
                int w = Math.Max(1, config.WarmupSteps);
                return config.LearningRate * Math.Min(step / (double)w, Math.Sqrt(w / s));
            case Schedules.Noam:
                return config.LearningRate / Math.Sqrt(modelSize) * Math.Min(1 / Math.Sqrt(s), s * Math.Pow(config.WarmupSteps, -1.5));
            case Schedules.Plateau or Schedules.Constant:
                return Rate;
            default:
                throw new ConfigException($"training.schedule: unknown schedule '{config.Schedule}' ({string.Join(", ", Schedules.All)})");
        }
    }

    /// <summary>Feeds a dev loss to the plateau rule (PyTorch ReduceLROnPlateau, mode min, relative threshold 1e-4).</summary>
    public void OnValidation(double devLoss)
    {
        if (config.Schedule != Schedules.Plateau) return;
        if (devLoss < BestLoss * (1 - 1e-4)) { BestLoss = devLoss; BadValidations = 0; return; }
        if (++BadValidations > config.PlateauPatience)
        {
            Rate = Math.Max(Rate * config.PlateauFactor, config.MinLearningRate);
            BadValidations = 0;
        }
    }
}
