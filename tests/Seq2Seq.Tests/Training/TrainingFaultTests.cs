using Seq2Seq.Data;
using Seq2Seq.Models;
using Seq2Seq.Runs;
using Seq2Seq.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Training;

/// <summary>Faults that must be caught the same way whatever the settings: a non-finite gradient without clipping, and
/// a checkpoint that cannot be written at the final validation of max_epochs.</summary>
public class TrainingFaultTests
{
    [Fact]
    public void WithoutClippingANonFiniteGradientStillSkipsTheUpdate()
    {
        using var task = new SyntheticTask(train: 600);
        var config = task.Config(2, c => c with { Training = c.Training with { ClipNorm = 0, MaxBadSteps = 2 } });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        var run = new RunDirectory(config.RunDir);

        // Poison the target embedding's padding row: the decoder reads it only after a sentence's end, where the loss
        // ignores the output, so the loss stays finite but the backward pass multiplies zeros by NaN: NaN gradients.
        var src = Vocabulary.Load(run.SourceVocab);
        var tgt = Vocabulary.Load(run.TargetVocab);
        using (var model = ModelBuilder.Build(config.Model, src.Count, tgt.Count))
        {
            using var optimizer = optim.Adam(model.parameters(), config.Training.LearningRate);
            var progress = Checkpoint.Load(run.StepCheckpoint(2), model, optimizer);
            var embedding = model.named_parameters().Single(p => p.name.StartsWith("decoder") && p.name.Contains("embed")).parameter;
            using (no_grad()) embedding[Vocabulary.Pad].fill_(float.NaN);
            Checkpoint.Save(run.StepCheckpoint(2), model, optimizer, progress);
        }
        var lines = new List<string>();
        var result = Trainer.Run(config with { Training = config.Training with { MaxSteps = 10, MaxBadSteps = 100 } }, new TrainerOptions(true, lines.Add));

        // The batches with padded targets (sorted by length, not all are) give NaN gradients at a finite loss: skipped.
        Assert.False(result.Failed, result.StopReason);
        Assert.Contains(lines, l => l.Contains("non-finite loss or gradient (loss ") && !l.Contains("(loss NaN") && l.Contains("grad norm NaN"));
        // No NaN reached the weights (but the poisoned row itself).
        using var after = Seq2SeqModel.Load(config.RunDir, run.StepCheckpoint(10));
        foreach (var (name, p) in after.Network.named_parameters())
        {
            using var checkedPart = name.StartsWith("decoder") && name.Contains("embed") ? p.index_fill(0, tensor(new long[] { Vocabulary.Pad }), 0) : p.alias();
            Assert.True(checkedPart.isfinite().all().item<bool>(), $"{name} has non-finite values after training on");
        }
    }

    [Fact]
    public void AnUnwritableCheckpointAtTheMaxEpochsValidationStopsAsAFault()
    {
        using var task = new SyntheticTask(train: 300);
        var probe = task.Config(0, c => c with { Training = c.Training with { MaxEpochs = 1, ValidateEvery = 1000 } }, "probe");
        int steps = Trainer.Run(probe, new TrainerOptions(false, _ => { })).Steps;

        var config = probe with { RunDir = Path.Combine(task.Dir, "blocked") };
        var run = new RunDirectory(config.RunDir);
        Directory.CreateDirectory(run.CheckpointDir);
        string blocker = Path.Combine(run.CheckpointDir, $".{Path.GetFileName(run.StepCheckpoint(steps))}.{Environment.ProcessId}.tmp");
        Directory.CreateDirectory(blocker);   // a directory where the temp file must go: the write fails like a full disk
        var result = Trainer.Run(config, new TrainerOptions(false, _ => { }));
        Directory.Delete(blocker);
        Assert.True(result.Failed);
        Assert.Contains($"checkpoint write failed at step {steps}", result.StopReason);
    }
}
