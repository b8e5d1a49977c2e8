using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Distributed;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>One update: batch → forward, loss and backward (<see cref="TokenLoss.Backward"/>) → the gradients summed
/// over the ranks → clipping (or the norm alone) → the optimiser's step and the moving average's update, both skipped
/// when the loss or the gradient is not finite.</summary>
public sealed class TrainStep(TrainingSession session, EncodedCorpus train, TrainingConfig config, ProcessGroup group,
    GradientExchange? exchange, Device device)
{
    readonly float[] reduced = new float[1];

    /// <param name="global">The global batch: indices into the training corpus; this rank takes its part of it.</param>
    /// <param name="learningRate">The rate of this update.</param>
    /// <param name="update">This update's number (1-based; the moving average's warm-up reads it).</param>
    public TrainStepResult Take(int[] global, double learningRate, long update)
    {
        foreach (var g in session.Optimizer.ParamGroups) g.LearningRate = learningRate;
        var (wait, exchanged) = (TimeSpan.Zero, TimeSpan.Zero);
        using var scope = NewDisposeScope();
        // Distributed: this rank's part of the global batch, its loss divided by the global batch's tokens, so that the
        // gradients summed over the ranks are the one-process gradient of the global batch. A rank left without a
        // sentence (a batch smaller than the ranks) computes a zero gradient on one of them.
        int[] mine = group.IsDistributed ? BatchSharding.Split(global, train.Targets, group.Size)[group.Rank] : global;
        bool idle = mine.Length == 0;
        var batch = Batch.Create(train.Sources, train.Targets, idle ? global[..1] : mine, device);
        int tokens = group.IsDistributed ? BatchSharding.TargetTokens(global, train.Targets) : batch.TargetTokens;
        session.Optimizer.zero_grad();
        var output = session.Model.TokenOutputs(batch.Source, batch.SourceLengths, batch.TargetIn!, batch.TargetOut!); // [tokens, ...]
        var lossSum = TokenLoss.Backward(session.Model, output, batch.TargetOut!, config.LabelSmoothing, idle ? 0 : 1.0 / tokens, session.ChunkRows);
        reduced[0] = idle ? 0 : lossSum.item<float>() / tokens;
        if (exchange is not null) (wait, exchanged) = exchange.SumGradients(reduced);
        // Without clipping the norm is still measured: a non-finite gradient must skip the step either way.
        double gradNorm = config.ClipNorm > 0 ? nn.utils.clip_grad_norm_(session.Parameters, config.ClipNorm) : GradientNorm(session.Parameters);
        float loss = reduced[0];
        bool taken = float.IsFinite(loss) && double.IsFinite(gradNorm);
        if (taken)
        {
            session.Optimizer.step();
            session.Ema?.Update(update);
        }
        return new TrainStepResult(loss, gradNorm, tokens, taken, wait, exchanged);
    }

    /// <summary>The L2 norm of all gradients together (what clipping measures), without changing them.</summary>
    public static double GradientNorm(IReadOnlyList<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        var norms = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!.norm()).ToArray();
        return norms.Length == 0 ? 0.0 : stack(norms).norm().item<float>();
    }
}
