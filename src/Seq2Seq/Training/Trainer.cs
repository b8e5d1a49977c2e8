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

        // 1. Setup: settings checked before any data is read; the resume point; data and vocabularies; the model,
        //    optimiser, moving average and schedule (restored when resuming); logs and the gradient exchange.
        var schedule = TrainingSession.CheckedSchedule(config);
        var resumeFrom = ResumePoint(run, options.Resume, log);
        var data = LoadData(config, run, group, resumeFrom, log);
        using var session = TrainingSession.Open(config, data, schedule, resumeFrom, device, log);
        var (model, progress) = (session.Model, session.Progress);
        log($"model: {model.ParameterCount():N0} parameters; threads {torch.get_num_threads()}");
        if (group.IsMain) WarnAboutLongSequences(model, data, config, log);
        using var exchange = group.IsDistributed ? StartDataParallel(group, session.Parameters, data, progress, t, log) : null;
        using var trainLog = group.IsMain ? new TrainingLog(run.Log, resumeFrom is null ? null : progress.Step) : null;
        var board = t.Tensorboard && group.IsMain ? new TensorBoardLog(run.TensorBoard, m => log($"warning: {m}")) : null;
        var trainStep = new TrainStep(session, data.Train, t, group, exchange, device);
        var validation = group.IsMain ? new ValidationCheckpoint(session, data, config, run, trainLog!, board, log) : null;

        // 2. The loop: one update per batch, a log line every log_every steps, a validation and checkpoint when the
        //    schedule names the step or the run stops.
        var clock = Stopwatch.StartNew();
        double startSeconds = progress.Seconds;
        double Elapsed() => startSeconds + clock.Elapsed.TotalSeconds;
        int batchesPerEpoch = 1;
        bool failed = false;
        var window = progress.Window;   // restored on resume, so the next log line averages over the same steps
        model.train();
        string? stop = AgreeOnStop(group, StopReason(t, progress, Elapsed(), options.Cancel, group));
        while (stop is null)
        {
            var batches = BatchPlanner.TrainingBatches(data.Train.Sources, data.Train.Targets, t.BatchTokens, t.Seed, progress.Epoch);
            batchesPerEpoch = batches.Count;
            while (progress.BatchInEpoch < batches.Count && stop is null)
            {
                var stepClock = Stopwatch.StartNew();
                double lr = schedule.RateAt(progress.Step + 1);
                var step = trainStep.Take(batches[progress.BatchInEpoch], lr, progress.Step + 1);
                progress.Step++;
                progress.BatchInEpoch++;
                double epoch = progress.Epoch + progress.BatchInEpoch / (double)batches.Count;
                stop = CountBadSteps(step, epoch, t, run, progress, trainLog, log, ref failed);
                progress.TargetTokens += step.Tokens;
                window.Add(step.Loss, step.GradNorm, step.Tokens, stepClock.Elapsed.TotalSeconds, step.Wait, step.Reduce);
                if (progress.Step % t.LogEvery == 0) WriteLogLine(window, epoch, lr, Elapsed(), t, group, exchange is not null, progress, trainLog, board, log);
                stop = AgreeOnStop(group, stop ?? StopReason(t, progress, Elapsed(), options.Cancel, group));
                // Out-of-schedule validations (ValidationCheckpoint) leave the schedule as it was; the planned end
                // (max_steps) is part of every uninterrupted run and counts.
                bool scheduled = progress.Step % t.ValidateEvery == 0 || (t.MaxSteps > 0 && progress.Step >= t.MaxSteps);
                if (scheduled || stop is not null) stop = Validate(validation, group, model, Elapsed(), scheduled, stop, ref failed);
            }
            if (stop is null) stop = EndEpoch(t, progress, validation, Elapsed, ref failed);
        }
        log($"stopped: {stop}");

        // 3. Test with the best model.
        var testMetrics = group.IsMain && !options.Cancel.IsCancellationRequested ? TestWithBest(model, data, config, run, progress, board, log) : [];
        var result = new TrainingResult(progress.Step, progress.Epoch + (double)progress.BatchInEpoch / batchesPerEpoch, Elapsed() / 60,
            progress.BestScore, progress.BestStep, stop, failed, testMetrics);
        trainLog?.Write(new { type = "result", step = progress.Step, stop_reason = stop, best_step = progress.BestStep, best_score = progress.BestScore, test = testMetrics });
        group.Finish();
        return result;
    }

    /// <summary>Counts a skipped update (logged) or resets the count after a taken one; returns a stop reason (a fault)
    /// after training.max_bad_steps skipped updates in a row.</summary>
    static string? CountBadSteps(TrainStepResult step, double epoch, TrainingConfig t, RunDirectory run, TrainingProgress progress,
        TrainingLog? trainLog, Action<string> log, ref bool failed)
    {
        if (step.Taken)
        {
            progress.BadSteps = 0;
            return null;
        }
        progress.BadSteps++;
        trainLog?.Write(new { type = "skipped_update", step = progress.Step, epoch, loss = step.Loss, grad_norm = step.GradNorm });
        log($"step {progress.Step}: non-finite loss or gradient (loss {step.Loss}, grad norm {step.GradNorm}); update skipped");
        if (progress.BadSteps < t.MaxBadSteps) return null;
        failed = true;
        return $"{progress.BadSteps} non-finite updates in a row; the last good checkpoint is {run.StepCheckpoints().FirstOrDefault().Path ?? "(none yet)"}";
    }

    /// <summary>Rank 0 validates and checkpoints (<see cref="ValidationCheckpoint"/>) while the other ranks wait; returns
    /// the stop decision all ranks share. A checkpoint fault outranks an ordinary stop at the same step.</summary>
    static string? Validate(ValidationCheckpoint? validation, ProcessGroup group, Seq2SeqNetwork model, double seconds, bool scheduled,
        string? stop, ref bool failed)
    {
        if (validation is not null)
        {
            var (reason, fault) = validation.Run(seconds, scheduled);
            if (fault) (failed, stop) = (true, reason);
            else stop ??= reason;
            model.train();
        }
        if (group.IsDistributed)
        {
            group.WaitForAll();   // the other ranks sleep while rank 0 validates
            stop = AgreeOnStop(group, stop);
        }
        return stop;
    }

    /// <summary>Moves on to the next epoch; after the last one (training.max_epochs) returns the stop reason, validating
    /// first unless the last step was validated: the planned end is a scheduled validation, whose checkpoint write
    /// fault is handled as anywhere else.</summary>
    static string? EndEpoch(TrainingConfig t, TrainingProgress progress, ValidationCheckpoint? validation, Func<double> elapsed, ref bool failed)
    {
        progress.Epoch++;
        progress.BatchInEpoch = 0;
        if (t.MaxEpochs <= 0 || progress.Epoch < t.MaxEpochs) return null;
        if (progress.Step % t.ValidateEvery != 0 && validation?.Run(elapsed(), scheduled: true) is (var reason, true))
        {
            failed = true;
            return reason;
        }
        return $"max_epochs {t.MaxEpochs} reached";
    }

    /// <summary>Decodes the test set with the best checkpoint (none: no scores).</summary>
    static Dictionary<string, object> TestWithBest(Seq2SeqNetwork model, PreparedData data, RunConfig config, RunDirectory run,
        TrainingProgress progress, TensorBoardLog? board, Action<string> log)
    {
        if (!File.Exists(run.BestCheckpoint) || data.Test.Count == 0) return [];
        Checkpoint.Load(run.BestCheckpoint, model);
        var testMetrics = TestEvaluation.Run(model, data, config, run, log);
        board?.Test(progress.Step, testMetrics);
        return testMetrics;
    }

    /// <summary>The checkpoint to resume from (null: a fresh start). A fresh run must not overwrite an earlier one's checkpoints.</summary>
    static string? ResumePoint(RunDirectory run, bool resume, Action<string> log)
    {
        var resumeFrom = resume ? Checkpoint.FirstIntact(run.StepCheckpoints().Select(c => c.Path), m => log($"warning: {m}")) : null;
        if (!resume && run.StepCheckpoints().Count > 0)
            throw new ConfigException($"{run.Path} already holds checkpoints; pass --resume to continue that run, or choose another run_dir");
        if (resume && resumeFrom is null) log($"--resume: no checkpoint in {run.Path}; starting from scratch");
        return resumeFrom;
    }

    /// <summary>Reads the data with new vocabularies (the saved ones on resume, so ids stay the same); rank 0 writes the
    /// config and vocabularies into the run directory.</summary>
    static PreparedData LoadData(RunConfig config, RunDirectory run, ProcessGroup group, string? resumeFrom, Action<string> log)
    {
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
        return data;
    }

    /// <summary>Writes a log window's line to the training log, TensorBoard and the console, and opens the next window.</summary>
    static void WriteLogLine(LogWindow window, double epoch, double lr, double elapsed, TrainingConfig t, ProcessGroup group, bool distributed,
        TrainingProgress progress, TrainingLog? trainLog, TensorBoardLog? board, Action<string> log)
    {
        var line = window.Line(t.LogEvery);
        trainLog?.Write(!distributed
            ? new { type = "train", step = progress.Step, epoch, loss = line.Loss, lr, grad_norm = line.GradNorm, tokens_per_s = line.TokensPerSecond, elapsed_s = elapsed }
            : new { type = "train", step = progress.Step, epoch, loss = line.Loss, lr, grad_norm = line.GradNorm, tokens_per_s = line.TokensPerSecond, elapsed_s = elapsed,
                    ranks = group.Size, allreduce_ms_per_step = line.ReduceMsPerStep, allreduce_wait_ms_per_step = line.WaitMsPerStep } as object);
        board?.Train(progress.Step, line.Loss, lr, line.TokensPerSecond, line.GradNorm);
        log(line.Format(progress.Step, epoch, lr, distributed, Eta(t, progress, elapsed, epoch)));
        window.Reset();
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
}
