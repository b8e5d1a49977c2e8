using Seq2Seq.Data;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Decoding;

/// <summary>log P(y|x) of given target sequences under a model (teacher forcing), per token and in total.</summary>
/// <param name="PerToken">log P of each target token and of the final &lt;/s&gt;.</param>
/// <param name="Gates">When asked of a hybrid-attention model: its gate g_t (1 = global, 0 = local) at each target token
/// and the final &lt;/s&gt; — in eval mode the values a search saw when it produced that target.</param>
public sealed record SequenceScore(double Total, float[] PerToken, float[]? Gates = null);

public static class SequenceScorer
{
    /// <summary>Scores every (source, target) pair; results in input order.</summary>
    /// <param name="gates">Also return the hybrid attention's gates (null for models without them).</param>
    public static List<SequenceScore> Score(Seq2SeqNetwork model, IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets,
        int batchTokens, bool gates = false)
    {
        model.eval();
        var device = model.Device;
        var output = new SequenceScore[sources.Count];
        using var _ = no_grad();
        foreach (var indices in BatchPlanner.EvaluationBatches(sources, targets, batchTokens))
        {
            using var scope = NewDisposeScope();
            var batch = Batch.Create(sources, targets, indices, device);
            var (logits, _, g) = model.Forward(batch.Source, batch.SourceLengths, batch.TargetIn!, returnWeights: gates); // [batch, tgtLen, V]
            var logp = logits.log_softmax(-1).gather(2, batch.TargetOut!.unsqueeze(2)).squeeze(2); // [batch, tgtLen]
            long tgtLen = logp.shape[1];
            float[] host = logp.cpu().data<float>().ToArray();
            float[]? hostGates = g?.cpu().data<float>().ToArray();                              // [batch × tgtLen]
            for (int b = 0; b < indices.Length; b++)
            {
                int len = targets[indices[b]].Length + 1;
                var perToken = host.AsSpan((int)(b * tgtLen), len).ToArray();
                output[indices[b]] = new SequenceScore(perToken.Sum(x => (double)x), perToken,
                    hostGates?.AsSpan((int)(b * tgtLen), len).ToArray());
            }
        }
        return output.ToList();
    }
}
