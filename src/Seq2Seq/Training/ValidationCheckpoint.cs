using Seq2Seq.Configuration;
using Seq2Seq.Runs;

namespace Seq2Seq.Training;

/// <summary>
/// A validation and the checkpoint after it: dev loss/perplexity and greedy dev score, a step checkpoint (and the best),
/// the log entries; a stop reason on patience or on a checkpoint that could not be written (a fault).
/// A validation at a step the schedule does not name (a signal, max_minutes, a fault) is out of schedule: it reports
/// dev figures and writes a step checkpoint but feeds neither the learning-rate schedule nor patience nor the
/// best-checkpoint choice, so a run resumed from it ends as an uninterrupted one would.
/// </summary>
public sealed class ValidationCheckpoint(TrainingSession session, PreparedData data, RunConfig config, RunDirectory run,
    TrainingLog trainLog, TensorBoardLog? board, Action<string> log)
{
    /// <param name="seconds">Training time so far (saved in the progress).</param>
    /// <param name="scheduled">False for an out-of-schedule validation: its figures are reported and marked, the
    /// checkpoint is written, and the schedule, patience and best checkpoint are left as they were.</param>
    /// <remarks>With a moving average (training.ema) the averaged weights are validated and kept as the best checkpoint
    /// instead of the raw ones.</remarks>
    public (string? Reason, bool Fault) Run(double seconds, bool scheduled)
    {
        var (model, ema, progress, schedule) = (session.Model, session.Ema, session.Progress, session.Schedule);
        var t = config.Training;
        ValidationResult v;
        using (ema?.Apply()) v = Validation.Run(model, data, config);
        bool improved = false;
        if (scheduled)
        {
            schedule.OnValidation(v.Loss);
            double score = t.BestMetric switch
            {
                BestMetrics.Loss => v.Loss, BestMetrics.Ppl => v.Perplexity, BestMetrics.Bleu => v.Bleu ?? 0, BestMetrics.Chrf => v.ChrF ?? 0, BestMetrics.Wer => v.Wer ?? 100,
                _ => throw new ConfigException($"training.best_metric: unknown metric '{t.BestMetric}' ({string.Join(", ", BestMetrics.All)})"),
            };
            bool higherIsBetter = t.BestMetric is BestMetrics.Bleu or BestMetrics.Chrf;
            improved = progress.BestScore is not double best || (higherIsBetter ? score > best : score < best);
            if (improved)
            {
                progress.BestScore = score;
                progress.BestStep = progress.Step;
                progress.ValidationsWithoutImprovement = 0;
            }
            else progress.ValidationsWithoutImprovement++;
            (progress.ScheduleRate, progress.ScheduleBestLoss, progress.ScheduleBadValidations) = (schedule.Rate, schedule.BestLoss, schedule.BadValidations);
        }
        progress.Seconds = seconds;

        try
        {
            if (improved)
                using (ema?.Apply()) Checkpoint.Save(run.BestCheckpoint, model, null, progress);
            Checkpoint.Save(run.StepCheckpoint(progress.Step), model, session.Optimizer, progress, ema);
            foreach (var (_, old) in run.StepCheckpoints().Skip(Math.Max(1, t.KeepCheckpoints)))
                File.Delete(old);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write goes through a temp file and a rename, so the older checkpoints are intact.
            string newest = run.StepCheckpoints().FirstOrDefault().Path ?? "(none)";
            log($"could not write a checkpoint at step {progress.Step}: {e.Message}; the newest good checkpoint is {newest}");
            trainLog.Write(new { type = "checkpoint_error", step = progress.Step, error = e.Message });
            if (t.OnCheckpointError == "stop")
                return ($"checkpoint write failed at step {progress.Step} ({e.Message}); resume from {newest} once the disk is fixed", true);
        }

        // Without a dev set the loss is NaN: the log says null (JSON has no NaN) rather than the string "NaN".
        double? devLoss = double.IsNaN(v.Loss) ? null : v.Loss, devPpl = double.IsNaN(v.Perplexity) ? null : v.Perplexity;
        trainLog.Write(new { type = "validation", step = progress.Step, dev_loss = devLoss, dev_ppl = devPpl, dev_bleu = v.Bleu, dev_chrf = v.ChrF,
            dev_wer = v.Wer, dev_per = v.Per, dev_mean_gate = v.MeanGate, signature = v.Signature, lr = schedule.RateAt(progress.Step), best = improved,
            scheduled, elapsed_s = seconds });
        board?.Validation(progress.Step, v);
        using (ema?.Apply()) board?.Attention(progress.Step, model, data);
        string metric = (v.Wer is double w ? $"dev WER {w:F2}" : v.Bleu is double b ? $"dev BLEU {b:F2} chrF {v.ChrF:F2}" : "")
            + (v.MeanGate is double g ? $" hybrid gate {g:F3}" : "");
        log(devLoss is null ? $"checkpoint at step {progress.Step} (no dev set)"
            : $"validation at step {progress.Step} ({seconds / 60:F1} min): dev loss {v.Loss:F4} ppl {v.Perplexity:F2} {metric}{(improved ? "  (best)" : "")}" +
              (scheduled ? "" : "  (out of schedule: not used for the learning rate, patience or the best checkpoint)"));
        return (scheduled && t.Patience > 0 && progress.ValidationsWithoutImprovement >= t.Patience
            ? $"early stopping: {t.BestMetric} did not improve in {t.Patience} validations (best at step {progress.BestStep})"
            : null, false);
    }
}
