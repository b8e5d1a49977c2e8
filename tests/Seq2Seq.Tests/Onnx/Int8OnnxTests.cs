using Seq2Seq.Configuration;
using Seq2Seq.Models;
using Seq2Seq.Onnx;
using Seq2Seq.Tests.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Onnx;

/// <summary>int8 export (dynamic quantisation of the linear layers): log P(y|x) per token close to TorchSharp's fp32
/// (mean |Δ| ≤ 0.02, max ≤ 0.15 nats — the tolerance the trained-model test in <see cref="OnnxModelExportTests"/> uses too).</summary>
public sealed class Int8OnnxTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kinds => new() { "transformer", "rnn" };

    static (ModelConfig Config, Seq2SeqNetwork Network) Model(string kind, int srcVocab, int tgtVocab)
    {
        manual_seed(17);
        var config = kind == "transformer"
            ? new ModelConfig
            {
                Type = "transformer",
                Transformer = new TransformerConfig { EncoderLayers = 2, DecoderLayers = 2, ModelSize = 32, Heads = 4, FeedForwardSize = 64, MaxPositions = 64 },
            }
            : new ModelConfig
            {
                EmbeddingSize = 32,
                Encoder = new EncoderConfig { HiddenSize = 32, Layers = 2, Bidirectional = true },
                Decoder = new DecoderConfig { HiddenSize = 32, Layers = 2, Attention = "general", InputFeeding = true },
            };
        var network = ModelBuilder.Build(config, srcVocab, tgtVocab);
        network.eval();
        return (config, network);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Int8_scores_stay_close_to_TorchSharp(string kind)
    {
        const int SrcVocab = 40, TgtVocab = 37;
        var (config, network) = Model(kind, SrcVocab, TgtVocab);
        var graphs = OnnxExport.Build(config, network, TgtVocab, int8: true);
        using var onnx = OnnxParity.Load(graphs);
        var sources = ModelTestKit.Sources(SrcVocab, 3, 5, 9, 1, 7, 12, 15);
        var targets = OnnxParity.Targets(TgtVocab, 4, 6, 3, 8, 1, 10, 14);
        var diffs = OnnxParity.Differences(network, onnx, sources, targets);
        output.WriteLine($"int8 {kind}: mean |Δ log P| = {diffs.Average():E2}, max {diffs.Max():E2}");
        Assert.True(diffs.Average() <= 0.02 && diffs.Max() <= 0.15, $"int8 |Δ log P| mean {diffs.Average()}, max {diffs.Max()}");
        // Every weight MatMul of the fp32 step graph is an int8 MatMulInteger fed by DynamicQuantizeLinear; the embedding
        // stays a float Gather and the softmax a float LogSoftmax.
        var fp32 = global::Onnx.ModelProto.Parser.ParseFrom(OnnxExport.Build(config, network, TgtVocab).DecoderStep).Graph;
        var q = global::Onnx.ModelProto.Parser.ParseFrom(graphs.DecoderStep).Graph;
        var fp32Inits = fp32.Initializer.ToDictionary(t => t.Name, t => t.DataType);
        int weightMatMuls = fp32.Node.Count(n => n.OpType == "MatMul" && n.Input.Any(fp32Inits.ContainsKey));
        Assert.True(weightMatMuls > 0);
        Assert.Equal(weightMatMuls, q.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.Equal(weightMatMuls, q.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));
        var qInits = q.Initializer.ToDictionary(t => t.Name, t => t.DataType);
        Assert.DoesNotContain(q.Node, n => n.OpType == "MatMul" && n.Input.Any(qInits.ContainsKey));
        Assert.All(q.Node.Where(n => n.OpType == "MatMulInteger"), n => Assert.Equal(OnnxType.Int8, qInits[n.Input[1]]));
        Assert.Contains(q.Node, n => n.OpType == "Gather" && n.Input.Any(i => qInits.GetValueOrDefault(i) == OnnxType.Float));
        Assert.Contains(q.Node, n => n.OpType == "LogSoftmax");
    }
}
