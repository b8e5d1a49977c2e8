using TorchSharp;
using Seq2Seq.Runs;
using static TorchSharp.torch;

namespace Seq2Seq.Runs;

/// <summary>
/// The element-wise mean of several checkpoints' weights (fairseq's <c>average_checkpoints</c>): the last few
/// checkpoints of a run lie around one optimum, and their mean usually translates better than any one of them.
/// </summary>
public static class CheckpointAverage
{
    /// <summary>Loads each of <paramref name="paths"/> into <paramref name="model"/>, leaves the mean of their
    /// floating-point parameters and buffers in it and writes it to <paramref name="output"/> (weights only, no
    /// optimiser state) with the progress record of the newest input. Returns that record.</summary>
    /// <exception cref="ArgumentException">No paths, or one path given twice.</exception>
    /// <exception cref="InvalidDataException">A checkpoint is corrupt or does not fit the model.</exception>
    public static TrainingProgress Write(IReadOnlyList<string> paths, nn.Module model, string output)
    {
        if (paths.Count == 0) throw new ArgumentException("no checkpoints to average");
        var repeated = paths.GroupBy(Path.GetFullPath).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"{repeated.Key} is given more than once");

        TrainingProgress? newest = null;
        var sums = new Dictionary<string, Tensor>();
        try
        {
            using (no_grad())
            {
                foreach (var path in paths)
                {
                    var progress = Checkpoint.Load(path, model);
                    if (newest is null || progress.Step >= newest.Step) newest = progress;
                    foreach (var (name, value) in model.state_dict())
                    {
                        if (!value.is_floating_point()) continue;
                        // Summed in float64 so the mean of identical checkpoints is exactly that checkpoint.
                        if (sums.TryGetValue(name, out var sum)) sum.add_(value.to(ScalarType.Float64));
                        else sums[name] = value.to(ScalarType.Float64, copy: true);
                    }
                }
                foreach (var (name, value) in model.state_dict())
                    if (sums.TryGetValue(name, out var sum)) value.copy_(sum.div_(paths.Count).to(value.dtype));
            }
        }
        finally
        {
            foreach (var sum in sums.Values) sum.Dispose();
        }
        var record = newest! with { };
        Checkpoint.Save(output, model, null, record);
        return record;
    }
}
