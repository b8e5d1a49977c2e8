using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Onnx;

namespace Seq2Seq.Tests.Onnx;

/// <summary>Teacher-forced scoring and greedy decoding through an exported model's ONNX Runtime sessions, to compare
/// with TorchSharp's <see cref="SequenceScorer"/> and greedy search.</summary>
public static class OnnxParity
{
    /// <summary>log P of each target token and the final &lt;/s&gt;, per pair, from the step graph.</summary>
    public static List<float[]> Score(OnnxRuntimeModel model, IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets)
    {
        var (memory, state) = model.Encode(sources);
        int batch = sources.Count, steps = targets.Max(t => t.Length) + 1;
        var perToken = targets.Select(t => new float[t.Length + 1]).ToArray();
        try
        {
            for (int t = 0; t < steps; t++)
            {
                var previous = targets.Select(y => (long)(t == 0 ? Vocabulary.Bos : t <= y.Length ? y[t - 1] : Vocabulary.Eos)).ToArray();
                using var output = model.Step(previous, t, memory, state);
                int vocab = (int)output.LogProbs.Shape[1];
                var lp = output.LogProbs.Span<float>();
                for (int b = 0; b < batch; b++)
                    if (t <= targets[b].Length)
                        perToken[b][t] = lp[b * vocab + (t < targets[b].Length ? targets[b][t] : Vocabulary.Eos)];
                state.Dispose();
                state = output.State;
            }
        }
        finally
        {
            memory.Dispose();
            state.Dispose();
        }
        return perToken.ToList();
    }

    /// <summary>Greedy outputs of <see cref="GreedySearch"/> over any backend.</summary>
    public static List<int[]> Greedy(IDecodingBackend backend, IReadOnlyList<int[]> sources, SearchOptions options) =>
        CorpusDecoder.Decode(backend, sources, options with { BeamSize = 1, NBest = 1 }, batchSize: 16).Select(h => h[0].Tokens).ToList();

    public static List<int[]> Greedy(OnnxRuntimeModel model, IReadOnlyList<int[]> sources, SearchOptions options, int maxTargetLength = int.MaxValue) =>
        Greedy(new OnnxDecodingBackend(model, maxTargetLength), sources, options);

    /// <summary>|Δ log P| of every target token and final &lt;/s&gt; between TorchSharp's teacher forcing and the step graph.</summary>
    public static List<double> Differences(Seq2SeqNetwork network, OnnxRuntimeModel onnx, IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets)
    {
        var reference = SequenceScorer.Score(new TorchDecodingBackend(network), sources, targets, batchTokens: 4096);
        return Score(onnx, sources, targets).Zip(reference)
            .SelectMany(x => x.First.Zip(x.Second.PerToken, (a, b) => (double)Math.Abs(a - b))).ToList();
    }

    /// <summary>Asserts per-token agreement within <paramref name="tolerance"/> with TorchSharp's teacher-forced
    /// scores; returns the largest absolute difference.</summary>
    public static double AssertScores(Seq2SeqNetwork network, OnnxRuntimeModel onnx, IReadOnlyList<int[]> sources,
        IReadOnlyList<int[]> targets, double tolerance)
    {
        var reference = SequenceScorer.Score(new TorchDecodingBackend(network), sources, targets, batchTokens: 4096);
        var scores = Score(onnx, sources, targets);
        double max = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            Assert.Equal(reference[i].PerToken.Length, scores[i].Length);
            for (int t = 0; t < scores[i].Length; t++) max = Math.Max(max, Math.Abs(reference[i].PerToken[t] - scores[i][t]));
        }
        Assert.True(max <= tolerance, $"largest per-token |log P difference| {max:E2} > {tolerance:E0}");
        return max;
    }

    /// <summary>Asserts that greedy decoding over ONNX Runtime gives TorchSharp's greedy outputs.</summary>
    public static void AssertGreedy(Seq2SeqNetwork network, OnnxRuntimeModel onnx, IReadOnlyList<int[]> sources)
    {
        var options = new SearchOptions(BeamSize: 1, MaxLengthRatio: 1.5, MaxLengthOffset: 3);
        var reference = CorpusDecoder.Decode(new TorchDecodingBackend(network), sources, options, batchSize: 16);
        var outputs = Greedy(onnx, sources, options, network.MaxTargetLength);
        for (int i = 0; i < sources.Count; i++) Assert.Equal(reference[i][0].Tokens, outputs[i]);
    }

    /// <summary>Random target id sequences (ids ≥ 4) of the given lengths.</summary>
    public static List<int[]> Targets(int vocab, int seed, params int[] lengths) => Models.ModelTestKit.Sources(vocab, seed, lengths);

    public static OnnxRuntimeModel Load(OnnxGraphs graphs) => new(graphs.Encoder, graphs.DecoderStep, graphs.Signature, threads: 1);
}
