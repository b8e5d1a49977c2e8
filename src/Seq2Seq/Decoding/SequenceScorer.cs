using Seq2Seq.Data;

namespace Seq2Seq.Decoding;

/// <summary>log P(y|x) of given target sequences under a model (teacher forcing), per token and in total.</summary>
/// <param name="PerToken">log P of each target token and of the final &lt;/s&gt;.</param>
/// <param name="Gates">When asked of a hybrid-attention model: its gate g_t (1 = global, 0 = local) at each target token
/// and the final &lt;/s&gt; — in eval mode the values a search saw when it produced that target.</param>
public sealed record SequenceScore(double Total, float[] PerToken, float[]? Gates = null);

public static class SequenceScorer
{
    /// <summary>Scores every (source, target) pair in batches of at most <paramref name="batchTokens"/> target tokens;
    /// results in input order.</summary>
    /// <param name="gates">Also return the hybrid attention's gates (null for models without them).</param>
    public static List<SequenceScore> Score(IDecodingBackend backend, IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets,
        int batchTokens, bool gates = false)
    {
        var output = new SequenceScore[sources.Count];
        foreach (var indices in BatchPlanner.EvaluationBatches(sources, targets, batchTokens))
        {
            var scores = backend.Score(indices.Select(i => sources[i]).ToList(), indices.Select(i => targets[i]).ToList(), gates);
            for (int b = 0; b < indices.Length; b++) output[indices[b]] = scores[b];
        }
        return output.ToList();
    }

    /// <summary>Teacher forcing one step at a time: each row is fed its reference tokens and the step's log P of the
    /// next reference token (then &lt;/s&gt;) is read off, for a backend that has only a step (ONNX Runtime's
    /// decoder-step graph). One batch; results in input order.</summary>
    public static IReadOnlyList<SequenceScore> ScoreByStepping(IDecodingBackend backend, IReadOnlyList<int[]> sources,
        IReadOnlyList<int[]> targets, bool gates)
    {
        int batch = sources.Count, steps = targets.Max(t => t.Length) + 1;
        var perToken = targets.Select(t => new float[t.Length + 1]).ToArray();
        var gateValues = gates ? targets.Select(t => new float[t.Length + 1]).ToArray() : null;
        bool hasGates = false;
        var state = backend.Encode(sources);
        try
        {
            for (int t = 0; t < steps; t++)
            {
                // Rows past their target's end are fed </s> and read </s>; their results are not used.
                var previous = targets.Select(y => (long)(t == 0 ? Vocabulary.Bos : t <= y.Length ? y[t - 1] : Vocabulary.Eos)).ToArray();
                var wanted = targets.Select(y => t < y.Length ? y[t] : Vocabulary.Eos).ToArray();
                var step = backend.Step(previous, state, new StepRequest(TopK: 1, Tokens: wanted));
                state.Dispose();
                state = step.Next;
                hasGates |= step.Gates is not null;
                for (int b = 0; b < batch; b++)
                {
                    if (t > targets[b].Length) continue;
                    perToken[b][t] = step.TokenLogProbs![b];
                    if (gateValues is not null && step.Gates is not null) gateValues[b][t] = step.Gates[b];
                }
            }
        }
        finally
        {
            state.Dispose();
        }
        return perToken.Select((p, b) => new SequenceScore(p.Sum(x => (double)x), p, hasGates ? gateValues?[b] : null)).ToList();
    }
}
