using Seq2Seq.Configuration;
using Seq2Seq.Models;
using Seq2Seq.Runs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>What a run trains and where it stands: the model, its optimiser, moving average, learning-rate schedule
/// and progress, built fresh or restored from a checkpoint.</summary>
public sealed class TrainingSession : IDisposable
{
    public required Seq2SeqNetwork Model { get; init; }
    /// <summary>The model's parameters, in the order the optimiser and the gradient exchange take them.</summary>
    public required IReadOnlyList<Parameter> Parameters { get; init; }
    public required Adam Optimizer { get; init; }
    /// <summary>The averaged weights (training.ema; null when off).</summary>
    public ExponentialMovingAverage? Ema { get; init; }
    public required LearningRateSchedule Schedule { get; init; }
    public required TrainingProgress Progress { get; init; }
    /// <summary>Rows per chunk of the output layer in the loss (<see cref="TokenLoss.ChunkRows"/>).</summary>
    public long ChunkRows { get; init; }

    /// <summary>Checks the model and schedule settings (before any data is read) and returns the schedule.</summary>
    public static LearningRateSchedule CheckedSchedule(RunConfig config)
    {
        var t = config.Training;
        if (config.Model.Type == ModelTypes.Transformer)
        {
            Models.Transformer.Validate(config.Model.Transformer);
            if (config.Model.Transformer.ShareEmbeddings && !config.Data.JointVocabulary)
                throw new ConfigException("model.transformer.share_embeddings: needs data.joint_vocabulary: true (one vocabulary for both sides)");
        }
        if (config.Model.CopyAttention && !config.Data.JointVocabulary)
            throw new ConfigException("model.copy_attention: needs data.joint_vocabulary: true (a copied source token is emitted as the target token of the same id)");
        if (config.Model.CopyAttention && config.Model.Type == ModelTypes.Rnn && config.Model.Decoder.Attention == AttentionScores.None)
            throw new ConfigException("model.copy_attention: copies through the attention, so needs model.decoder.attention other than none");
        if (t.Ema is < 0 or >= 1) throw new ConfigException($"training.ema must be at least 0 and below 1 (0 = off); got {t.Ema}");
        return new LearningRateSchedule(t, LearningRateSchedule.ModelSize(config.Model));
    }

    /// <summary>Seeds, builds the model on <paramref name="device"/>, its optimiser and moving average; restores all of
    /// them, the schedule and the progress from <paramref name="resumeFrom"/> when given.</summary>
    public static TrainingSession Open(RunConfig config, PreparedData data, LearningRateSchedule schedule, string? resumeFrom,
        Device device, Action<string> log)
    {
        var t = config.Training;
        torch.manual_seed(t.Seed);
        var model = ModelBuilder.Build(config.Model, data.SourceVocab.Count, data.TargetVocab.Count);
        model.MoveTo(device);   // before the optimiser takes the parameters; a checkpoint then loads into them in place
        var parameters = model.parameters().ToList();
        long chunkRows = TokenLoss.ChunkRows(data.TargetVocab.Count);
        var optimizer = optim.Adam(parameters, t.LearningRate, t.AdamBeta1, t.AdamBeta2, weight_decay: t.WeightDecay);
        var ema = t.Ema > 0 ? new ExponentialMovingAverage(model, t.Ema) : null;
        var progress = new TrainingProgress { ScheduleRate = t.LearningRate };
        if (resumeFrom is not null)
        {
            progress = Checkpoint.Load(resumeFrom, model, optimizer, ema);
            (schedule.Rate, schedule.BestLoss, schedule.BadValidations) = (progress.ScheduleRate, progress.ScheduleBestLoss, progress.ScheduleBadValidations);
            log($"resumed from {resumeFrom} at step {progress.Step} (epoch {progress.Epoch}, batch {progress.BatchInEpoch})");
        }
        return new TrainingSession
        {
            Model = model, Parameters = parameters, Optimizer = optimizer, Ema = ema, Schedule = schedule, Progress = progress, ChunkRows = chunkRows,
        };
    }

    public void Dispose()
    {
        Ema?.Dispose();
        Optimizer.Dispose();
        Model.Dispose();
    }
}
