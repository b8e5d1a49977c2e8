using Seq2Seq.Data;
using Seq2Seq.Models;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Decoding;

/// <summary>
/// The hybrid attention's gate g_t (1 = global, 0 = local) at each step of given outputs, by teacher forcing them: in
/// eval mode the same values the search saw, without carrying gates through every search step.
/// </summary>
public static class HybridGates
{
    /// <summary>Whether a model of this configuration has hybrid attention, hence gates.</summary>
    public static bool Apply(Configuration.ModelConfig m) =>
        m.Type == "rnn" && m.Decoder.AttentionType == "hybrid" && m.Decoder.Attention != "none";

    /// <summary>Per (source, output) pair the gate of each output token and of the final &lt;/s&gt;, in input order;
    /// null for every pair when the model has no hybrid attention.</summary>
    public static List<float[]>? Compute(Seq2SeqNetwork model, IReadOnlyList<int[]> sources, IReadOnlyList<int[]> outputs,
        int batchTokens, Device? device = null)
    {
        model.eval();
        var result = new float[sources.Count][];
        using var _ = no_grad();
        foreach (var indices in BatchPlanner.EvaluationBatches(sources, outputs, batchTokens))
        {
            using var scope = NewDisposeScope();
            var batch = Batch.Create(sources, outputs, indices, device);
            var (_, _, gates) = model.Forward(batch.Source, batch.SourceLengths, batch.TargetIn!, returnWeights: true); // [batch, tgtLen]
            if (gates is null) return null;
            long tgtLen = gates.shape[1];
            float[] host = gates.cpu().data<float>().ToArray();
            for (int b = 0; b < indices.Length; b++)
                result[indices[b]] = host.AsSpan((int)(b * tgtLen), outputs[indices[b]].Length + 1).ToArray();
        }
        return result.ToList();
    }
}
