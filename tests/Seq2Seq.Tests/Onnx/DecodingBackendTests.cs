using Seq2Seq.Configuration;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Onnx;
using Seq2Seq.Tests.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Onnx;

/// <summary>The backend seam the searches use: greedy search over the TorchSharp and the ONNX Runtime backends gives
/// the same outputs, and selecting rows of a state (beam reordering, with repeats) before a step gives those rows of
/// the unselected step.</summary>
public sealed class DecodingBackendTests
{
    const int SrcVocab = 20, TgtVocab = 23;

    static (ModelConfig, Seq2SeqNetwork) Model(string type)
    {
        manual_seed(21);
        var config = type == "transformer"
            ? new ModelConfig { Type = "transformer", Transformer = new TransformerConfig { EncoderLayers = 1, DecoderLayers = 2, ModelSize = 16, Heads = 2, FeedForwardSize = 32, MaxPositions = 64 } }
            : new ModelConfig
            {
                EmbeddingSize = 16,
                Encoder = new EncoderConfig { HiddenSize = 16, Layers = 1 },
                Decoder = new DecoderConfig { HiddenSize = 16, Layers = 2, Attention = "general", AttentionType = "local-m", LocalWindow = 2 },
            };
        var network = ModelBuilder.Build(config, SrcVocab, TgtVocab);
        network.eval();
        return (config, network);
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("rnn")]
    public void One_greedy_loop_serves_both_backends(string type)
    {
        var (config, network) = Model(type);
        using var onnx = OnnxParity.Load(OnnxExport.Build(config, network, TgtVocab));
        var sources = ModelTestKit.Sources(SrcVocab, 5, 4, 11, 2, 8);
        var options = new SearchOptions(BeamSize: 1, MaxLengthRatio: 1.5, MaxLengthOffset: 3);
        var reference = CorpusDecoder.Decode(new TorchDecodingBackend(network), sources, options, 16).Select(h => h[0].Tokens).ToList();
        Assert.Equal(reference, OnnxParity.Greedy(new TorchDecodingBackend(network), sources, options));
        Assert.Equal(reference, OnnxParity.Greedy(new OnnxDecodingBackend(onnx, network.MaxTargetLength), sources, options));
    }

    /// <summary>log P of token <paramref name="v"/> in row <paramref name="row"/> of a step that returned every token.</summary>
    static float LogProb(DecodingStep step, int row, int v) =>
        step.TopLogProbs[Array.IndexOf(step.TopIds, v, row * step.TopK, step.TopK)];

    [Theory]
    [InlineData("transformer")]
    [InlineData("rnn")]
    public void Selecting_rows_then_stepping_equals_stepping_then_selecting(string type)
    {
        var (config, network) = Model(type);
        using var onnx = OnnxParity.Load(OnnxExport.Build(config, network, TgtVocab));
        var sources = ModelTestKit.Sources(SrcVocab, 6, 5, 9, 3);
        foreach (IDecodingBackend backend in new IDecodingBackend[] { new TorchDecodingBackend(network), new OnnxDecodingBackend(onnx) })
        {
            // Two steps so the state (caches, recurrent state, step count) is not the initial one.
            var state = backend.Encode(sources);
            var every = new StepRequest(TopK: TgtVocab);
            state = backend.Step([2, 2, 2], state, every).Next;
            state = backend.Step([5, 7, 9], state, every).Next;
            var all = backend.Step([4, 6, 8], state, every);
            int[] rows = [2, 0, 0, 1];
            {
                var selected = backend.Step(rows.Select(r => new long[] { 4, 6, 8 }[r]).ToArray(), state.SelectRows(rows), every);
                Assert.Equal(rows.Length, selected.Next.Rows);
                Assert.Equal(TgtVocab, selected.TopK);
                for (int i = 0; i < rows.Length; i++)
                {
                    Assert.Equal(all.EosLogProbs[rows[i]], selected.EosLogProbs[i], 1e-5f);
                    for (int v = 0; v < TgtVocab; v++)
                        Assert.Equal(LogProb(all, rows[i], v), LogProb(selected, i, v), 1e-5f);
                }
            }
        }
    }
}
