using System.Diagnostics;
using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Distributed;
using Seq2Seq.Evaluation;
using Seq2Seq.IO;
using Seq2Seq.Models;
using Seq2Seq.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>What a training run reached.</summary>
/// <param name="Failed">The run stopped on a fault (repeated non-finite updates, a checkpoint that could not be written).</param>
public sealed record TrainingResult(int Steps, double Epochs, double Minutes, double? BestScore, int BestStep,
    string StopReason, bool Failed, IReadOnlyDictionary<string, object> TestMetrics);

/// <summary>Options of one training invocation that are not part of the model's config.</summary>
/// <param name="Resume">Continue from the newest good checkpoint in the run directory.</param>
/// <param name="Log">Human-readable progress lines.</param>
/// <param name="Cancel">Requests a checkpoint and a clean stop (SIGINT/SIGTERM).</param>
public sealed record TrainerOptions(bool Resume, Action<string> Log, CancellationToken Cancel = default);

/// <summary>
/// The training loop: read data → build vocabularies and model → for each batch: forward, label-smoothed cross-entropy,
/// backward, clip, Adam step → validate every N steps (dev loss, perplexity, greedy dev score), checkpoint, keep the
/// best → stop on max steps/epochs/minutes or patience → decode the test set with the best model.
/// Data-parallel under MPI (training.distributed, docs/distributed.md): each rank takes its part of every global
/// batch, the gradients are summed over the ranks, and every rank takes the same step; rank 0 alone logs, validates,
/// writes checkpoints and tests.
/// </summary>
public sealed class Trainer
{
    public static TrainingResult Run(RunConfig config, TrainerOptions options)
    {
        var t = config.Training;
        var group = ProcessGroup.Open(t.Distributed);
        var log = group.IsMain ? options.Log : _ => { };
        var run = new RunDirectory(config.RunDir);
        torch.set_num_threads(t.Threads > 0 ? t.Threads : Math.Max(1, Environment.ProcessorCount / group.LocalSize));
        var device = ComputeDevice.Resolve(t.Device);

        // 1. Model and schedule settings are checked before any data is read. Where do we start? A fresh run must not
        //    overwrite an earlier one's checkpoints.
        if (config.Model.Type == ModelTypes.Transformer)
        {
            Transformer.Validate(config.Model.Transformer);
            if (config.Model.Transformer.ShareEmbeddings && !config.Data.JointVocabulary)
                throw new ConfigException("model.transformer.share_embeddings: needs data.joint_vocabulary: true (one vocabulary for both sides)");
        }
        if (t.Ema is < 0 or >= 1) throw new ConfigException($"training.ema must be at least 0 and below 1 (0 = off); got {t.Ema}");
        var schedule = new LearningRateSchedule(t, LearningRateSchedule.ModelSize(config.Model));
        var resumeFrom = options.Resume ? Checkpoint.FirstIntact(run.StepCheckpoints().Select(c => c.Path), m => log($"warning: {m}")) : null;
        if (!options.Resume && run.StepCheckpoints().Count > 0)
            throw new ConfigException($"{run.Path} already holds checkpoints; pass --resume to continue that run, or choose another run_dir");
        if (options.Resume && resumeFrom is null) log($"--resume: no checkpoint in {run.Path}; starting from scratch");

        // 2. Data and vocabularies (the saved ones on resume, so ids stay the same).
        var vocabs = resumeFrom is not null ? (Vocabulary.Load(run.SourceVocab), Vocabulary.Load(run.TargetVocab)) : ((Vocabulary, Vocabulary)?)null;
        var data = PreparedData.Load(config.Data, run, vocabs, log);
        if (data.Train.Count == 0) throw new ConfigException($"{config.Data.Train}: no usable training pairs");
        if (group.IsMain)
        {
            Directory.CreateDirectory(run.CheckpointDir);
            AtomicFile.WriteAllText(run.Config, ConfigLoader.ToYaml(config));
            data.SourceVocab.Save(run.SourceVocab);
            data.TargetVocab.Save(run.TargetVocab);
        }

        // 3. Model, optimiser, schedule; restored from the checkpoint when resuming.
        torch.manual_seed(t.Seed);
        using var model = ModelBuilder.Build(config.Model, data.SourceVocab.Count, data.TargetVocab.Count);
        model.MoveTo(device);   // before the optimiser takes the parameters; a checkpoint then loads into them in place
        var parameters = model.parameters().ToList();
        long chunkRows = TokenLoss.ChunkRows(data.TargetVocab.Count);
        using var optimizer = optim.Adam(parameters, t.LearningRate, t.AdamBeta1, t.AdamBeta2, weight_decay: t.WeightDecay);
        using var ema = t.Ema > 0 ? new ExponentialMovingAverage(model, t.Ema) : null;
        var progress = new TrainingProgress { ScheduleRate = t.LearningRate };
        if (resumeFrom is not null)
        {
            progress = Checkpoint.Load(resumeFrom, model, optimizer, ema);
            (schedule.Rate, schedule.BestLoss, schedule.BadValidations) = (progress.ScheduleRate, progress.ScheduleBestLoss, progress.ScheduleBadValidations);
            log($"resumed from {resumeFrom} at step {progress.Step} (epoch {progress.Epoch}, batch {progress.BatchInEpoch})");
        }
        log($"model: {model.ParameterCount():N0} parameters; threads {torch.get_num_threads()}");
        if (group.IsMain) WarnAboutLongSequences(model, data, config, log);
        using var exchange = group.IsDistributed ? StartDataParallel(group, parameters, data, progress, t, log) : null;
        using var trainLog = group.IsMain ? new TrainingLog(run.Log, resumeFrom is null ? null : progress.Step) : null;
        var board = t.Tensorboard && group.IsMain ? new TensorBoardLog(run.TensorBoard, m => log($"warning: {m}")) : null;

        // 4. The loop.
        var clock = Stopwatch.StartNew();
        double startSeconds = progress.Seconds;
        double Elapsed() => startSeconds + clock.Elapsed.TotalSeconds;
        string? stop = null;
        int batchesPerEpoch = 1;
        bool failed = false;
        var window = progress.Window;   // restored on resume, so the next log line averages over the same steps
        float[] reduced = new float[1];
        model.train();
        stop = AgreeOnStop(group, StopReason(t, progress, Elapsed(), options.Cancel, group));
        while (stop is null)
        {
            var batches = BatchPlanner.TrainingBatches(data.Train.Sources, data.Train.Targets, t.BatchTokens, t.Seed, progress.Epoch);
            batchesPerEpoch = batches.Count;
            while (progress.BatchInEpoch < batches.Count && stop is null)
            {
                var stepClock = Stopwatch.StartNew();
                double lr = schedule.RateAt(progress.Step + 1);
                foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
                float loss;
                double gradNorm;
                int tokens;
                using (var scope = NewDisposeScope())
                {
                    // Distributed: this rank's part of the global batch, its loss divided by the global batch's tokens, so
                    // that the gradients summed over the ranks are the one-process gradient of the global batch. A rank
                    // left without a sentence (a batch smaller than the ranks) computes a zero gradient on one of them.
                    int[] global = batches[progress.BatchInEpoch];
                    int[] mine = group.IsDistributed ? BatchSharding.Split(global, data.Train.Targets, group.Size)[group.Rank] : global;
                    bool idle = mine.Length == 0;
                    var batch = Batch.Create(data.Train.Sources, data.Train.Targets, idle ? global[..1] : mine, device);
                    tokens = group.IsDistributed ? BatchSharding.TargetTokens(global, data.Train.Targets) : batch.TargetTokens;
                    optimizer.zero_grad();
                    var hidden = model.TokenHidden(batch.Source, batch.SourceLengths, batch.TargetIn!, batch.TargetOut!); // [tokens, hidden]
                    var lossSum = TokenLoss.Backward(model, hidden, batch.TargetOut!, t.LabelSmoothing, idle ? 0 : 1.0 / tokens, chunkRows);
                    reduced[0] = idle ? 0 : lossSum.item<float>() / tokens;
                    if (exchange is not null)
                    {
                        var (wait, exchanged) = exchange.SumGradients(reduced);
                        (window.WaitSeconds, window.ReduceSeconds) = (window.WaitSeconds + wait.TotalSeconds, window.ReduceSeconds + exchanged.TotalSeconds);
                    }
                    // Without clipping the norm is still measured: a non-finite gradient must skip the step either way.
                    gradNorm = t.ClipNorm > 0 ? nn.utils.clip_grad_norm_(parameters, t.ClipNorm) : GradientNorm(parameters);
                    loss = reduced[0];
                    if (float.IsFinite(loss) && double.IsFinite(gradNorm))
                    {
                        optimizer.step();
                        ema?.Update();
                    }
                }
                progress.Step++;
                progress.BatchInEpoch++;
                double epoch = progress.Epoch + progress.BatchInEpoch / (double)batches.Count;
                if (!float.IsFinite(loss) || !double.IsFinite(gradNorm))
                {
                    progress.BadSteps++;
                    trainLog?.Write(new { type = "skipped_update", step = progress.Step, epoch, loss, grad_norm = gradNorm });
                    log($"step {progress.Step}: non-finite loss or gradient (loss {loss}, grad norm {gradNorm}); update skipped");
                    if (progress.BadSteps >= t.MaxBadSteps)
                        (failed, stop) = (true, $"{progress.BadSteps} non-finite updates in a row; the last good checkpoint is {run.StepCheckpoints().FirstOrDefault().Path ?? "(none yet)"}");
                }
                else progress.BadSteps = 0;
                progress.TargetTokens += tokens;
                window.Tokens += tokens;
                window.Loss += float.IsFinite(loss) ? loss * tokens : 0;
                window.GradNorm += double.IsFinite(gradNorm) ? gradNorm : 0;
                window.Steps++;
                window.Seconds += stepClock.Elapsed.TotalSeconds;
                if (progress.Step % t.LogEvery == 0)
                {
                    double rate = window.Tokens / window.Seconds;
                    double gradNormMean = window.GradNorm / window.Steps; // before clipping
                    double reduceMs = window.ReduceSeconds * 1000 / t.LogEvery, waitMs = window.WaitSeconds * 1000 / t.LogEvery;
                    trainLog?.Write(exchange is null
                        ? new { type = "train", step = progress.Step, epoch, loss = window.Loss / window.Tokens, lr, grad_norm = gradNormMean, tokens_per_s = rate, elapsed_s = Elapsed() }
                        : new { type = "train", step = progress.Step, epoch, loss = window.Loss / window.Tokens, lr, grad_norm = gradNormMean, tokens_per_s = rate, elapsed_s = Elapsed(),
                                ranks = group.Size, allreduce_ms_per_step = reduceMs, allreduce_wait_ms_per_step = waitMs } as object);
                    board?.Train(progress.Step, window.Loss / window.Tokens, lr, rate, gradNormMean);
                    log($"step {progress.Step,6}  epoch {epoch:F2}  loss {window.Loss / window.Tokens:F4}  lr {lr:G3}  grad norm {gradNormMean:G3}  {rate:N0} tok/s  " +
                        (exchange is null ? "" : $"all-reduce {reduceMs:F0} ms/step (+{waitMs:F0} waiting)  ") + Eta(t, progress, Elapsed(), epoch));
                    window.Reset();
                }
                stop = AgreeOnStop(group, stop ?? StopReason(t, progress, Elapsed(), options.Cancel, group));
                // A validation at a step the schedule does not name (a signal, max_minutes, a fault) is out of schedule:
                // it reports dev figures and writes a step checkpoint but feeds neither the learning-rate schedule nor
                // patience nor the best-checkpoint choice, so a run resumed from it ends as an uninterrupted one would.
                // The planned end (max_steps) is part of every uninterrupted run and counts.
                bool scheduled = progress.Step % t.ValidateEvery == 0 || (t.MaxSteps > 0 && progress.Step >= t.MaxSteps);
                if (scheduled || stop is not null)
                {
                    if (group.IsMain)
                    {
                        var (reason, fault) = ValidateAndCheckpoint(model, optimizer, ema, data, config, run, progress, schedule, trainLog!, board, log, Elapsed(), scheduled);
                        if (fault) (failed, stop) = (true, reason);   // a fault outranks an ordinary stop at the same step
                        else stop ??= reason;
                        model.train();
                    }
                    if (group.IsDistributed)
                    {
                        group.WaitForAll();   // the other ranks sleep while rank 0 validates
                        stop = AgreeOnStop(group, stop);
                    }
                }
            }
            if (stop is null)
            {
                progress.Epoch++;
                progress.BatchInEpoch = 0;
                if (t.MaxEpochs > 0 && progress.Epoch >= t.MaxEpochs)
                {
                    stop = $"max_epochs {t.MaxEpochs} reached";
                    if (progress.Step % t.ValidateEvery != 0 && group.IsMain)
                    {
                        // The planned end: a scheduled validation, whose checkpoint write fault is handled as anywhere else.
                        var (reason, fault) = ValidateAndCheckpoint(model, optimizer, ema, data, config, run, progress, schedule, trainLog!, board, log, Elapsed(), scheduled: true);
                        if (fault) (failed, stop) = (true, reason);
                    }
                }
            }
        }
        log($"stopped: {stop}");

        // 5. Test with the best model.
        var testMetrics = new Dictionary<string, object>();
        if (group.IsMain && File.Exists(run.BestCheckpoint) && data.Test.Count > 0 && !options.Cancel.IsCancellationRequested)
        {
            Checkpoint.Load(run.BestCheckpoint, model);
            testMetrics = TestEvaluation.Run(model, data, config, run, log);
            board?.Test(progress.Step, testMetrics);
        }
        var result = new TrainingResult(progress.Step, progress.Epoch + (double)progress.BatchInEpoch / batchesPerEpoch, Elapsed() / 60,
            progress.BestScore, progress.BestStep, stop, failed, testMetrics);
        trainLog?.Write(new { type = "result", step = progress.Step, stop_reason = stop, best_step = progress.BestStep, best_score = progress.BestScore, test = testMetrics });
        group.Finish();
        return result;
    }

    /// <summary>Checks that the ranks start alike (same data, same resume point), gives them rank 0's parameters and
    /// their own dropout streams; returns the gradient exchange (the loss travels with the gradients).</summary>
    static GradientExchange StartDataParallel(ProcessGroup group, IReadOnlyList<Tensor> parameters, PreparedData data,
        TrainingProgress progress, TrainingConfig t, Action<string> log)
    {
        group.RequireSame("training pairs, vocabulary sizes, parameters", "every host must read the same data files",
            data.Train.Count, data.SourceVocab.Count, data.TargetVocab.Count, (int)parameters.Sum(p => p.numel()));
        group.RequireSame("the resumed step", "with --resume every rank must see the same run_dir (a shared folder, or a copy at the same path on each host)",
            progress.Step, progress.Epoch, progress.BatchInEpoch);
        var exchange = new GradientExchange(group, parameters, extras: 1);
        exchange.BroadcastParameters();
        // Rank 0 keeps the checkpointed (or seeded) random stream; the others draw their own dropout masks.
        if (!group.IsMain) torch.manual_seed(t.Seed + 1_000_003L * group.Rank + progress.Step);
        log($"data-parallel training on {group.Size} MPI processes: each takes 1/{group.Size} of every batch; " +
            $"{exchange.Elements:N0} floats summed per step");
        return exchange;
    }

    /// <summary>Says how many dev and test sequences are longer than the model takes and are cut (<see cref="LengthLimits"/>).</summary>
    static void WarnAboutLongSequences(Seq2SeqNetwork model, PreparedData data, RunConfig config, Action<string> log)
    {
        var limits = LengthLimits.Of(model, config.Decoding);
        var testLengths = data.Test.Count == 0 ? [] : data.Test.Select(p => data.SourceTokenizer.Tokenize(p.Source).Count).ToList();
        string?[] warnings =
        [
            LengthLimits.Warning("dev sources", data.DevEncoded.Sources.Select(s => s.Length), limits.Source, "the dev loss"),
            LengthLimits.Warning("dev targets", data.DevEncoded.Targets.Select(s => s.Length), limits.Target, "the dev loss"),
            LengthLimits.Warning("dev sources", data.DevEncoded.Sources.Select(s => s.Length), limits.DecodedSource, "decoding (as translate does)"),
            LengthLimits.Warning("test sources", testLengths, limits.DecodedSource, "decoding (as translate does)"),
        ];
        foreach (var w in warnings.OfType<string>()) log($"warning: {w}");
        int dropped = data.DevEncoded.DroppedByLength;
        if (dropped > 0) log($"warning: dev: {dropped} pair(s) with a side of no tokens left out of the dev loss and dev scores");
    }

    /// <summary>The L2 norm of all gradients together (what clipping measures), without changing them.</summary>
    static double GradientNorm(IReadOnlyList<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        var norms = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!.norm()).ToArray();
        return norms.Length == 0 ? 0.0 : stack(norms).norm().item<float>();
    }

    /// <summary>The stop decision every rank takes: rank 0's reason, or a signal received by any rank.</summary>
    static string? AgreeOnStop(ProcessGroup group, string? stop) =>
        !group.IsDistributed || !group.Any(stop is not null) ? stop
        : stop ?? (group.IsMain ? "interrupted (checkpoint saved)" : "stopped with rank 0");

    // Only rank 0's clock counts: the other ranks stop on a signal, or when rank 0 does (AgreeOnStop).
    static string? StopReason(TrainingConfig t, TrainingProgress p, double seconds, CancellationToken cancel, ProcessGroup group) =>
        cancel.IsCancellationRequested ? "interrupted (checkpoint saved)"
        : !group.IsMain ? null
        : t.MaxSteps > 0 && p.Step >= t.MaxSteps ? $"max_steps {t.MaxSteps} reached"
        : t.MaxMinutes > 0 && seconds >= t.MaxMinutes * 60 ? $"max_minutes {t.MaxMinutes} reached"
        : null;

    static string Eta(TrainingConfig t, TrainingProgress p, double seconds, double epoch)
    {
        var fractions = new List<double>();
        if (t.MaxSteps > 0) fractions.Add(p.Step / (double)t.MaxSteps);
        if (t.MaxMinutes > 0) fractions.Add(seconds / (t.MaxMinutes * 60));
        if (t.MaxEpochs > 0) fractions.Add(epoch / t.MaxEpochs);
        if (fractions.Count == 0) return $"elapsed {TimeSpan.FromSeconds(seconds):hh\\:mm\\:ss}";
        double f = Math.Clamp(fractions.Max(), 1e-9, 1);
        return $"ETA {TimeSpan.FromSeconds(seconds / f - seconds):hh\\:mm\\:ss}";
    }

    /// <summary>Dev loss/perplexity and greedy dev score; saves a step checkpoint (and the best); returns a stop reason
    /// on patience or on a checkpoint that could not be written (a fault).</summary>
    /// <param name="scheduled">False for an out-of-schedule validation (see the loop): its figures are reported and
    /// marked, the checkpoint is written, and the schedule, patience and best checkpoint are left as they were.</param>
    /// <param name="ema">The averaged weights (null when off): validated and kept as the best checkpoint instead of the raw ones.</param>
    static (string? Reason, bool Fault) ValidateAndCheckpoint(Seq2SeqNetwork model, TorchSharp.Modules.OptimizerHelper optimizer, ExponentialMovingAverage? ema,
        PreparedData data, RunConfig config,
        RunDirectory run, TrainingProgress progress, LearningRateSchedule schedule, TrainingLog trainLog, TensorBoardLog? board, Action<string> log, double seconds,
        bool scheduled)
    {
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
            Checkpoint.Save(run.StepCheckpoint(progress.Step), model, optimizer, progress, ema);
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
