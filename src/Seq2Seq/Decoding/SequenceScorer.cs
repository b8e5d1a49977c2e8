using Seq2Seq.Data;
using Seq2Seq.Models;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Decoding;

/// <summary>log P(y|x) of given target sequences under a model (teacher forcing), per token and in total.</summary>
/// <param name="PerToken">log P of each target token and of the final &lt;/s&gt;.</param>
public sealed record SequenceScore(double Total, float[] PerToken);

public static class SequenceScorer
{
    /// <summary>Scores every (source, target) pair; results in input order.</summary>
    public static List<SequenceScore> Score(Seq2SeqNetwork model, IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets,
        int batchTokens, Device? device = null)
    {
        model.eval();
        var output = new SequenceScore[sources.Count];
        using var _ = no_grad();
        foreach (var indices in BatchPlanner.EvaluationBatches(sources, targets, batchTokens))
        {
            using var scope = NewDisposeScope();
            var batch = Batch.Create(sources, targets, indices, device);
            var (logits, _, _) = model.Forward(batch.Source, batch.SourceLengths, batch.TargetIn!);   // [batch, tgtLen, V]
            var logp = logits.log_softmax(-1).gather(2, batch.TargetOut!.unsqueeze(2)).squeeze(2); // [batch, tgtLen]
            long tgtLen = logp.shape[1];
            float[] host = logp.cpu().data<float>().ToArray();
            for (int b = 0; b < indices.Length; b++)
            {
                int len = targets[indices[b]].Length + 1;
                var perToken = host.AsSpan((int)(b * tgtLen), len).ToArray();
                output[indices[b]] = new SequenceScore(perToken.Sum(x => (double)x), perToken);
            }
        }
        return output.ToList();
    }
}
