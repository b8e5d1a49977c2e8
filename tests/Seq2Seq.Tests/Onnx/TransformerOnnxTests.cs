using Seq2Seq.Configuration;
using Seq2Seq.Models;
using Seq2Seq.Tests.Models;
using Seq2Seq.Onnx;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Onnx;

/// <summary>The exported Transformer through ONNX Runtime against TorchSharp: teacher-forced log P(y|x) per token
/// within 1e-4, identical greedy outputs.</summary>
public sealed class TransformerOnnxTests(ITestOutputHelper output)
{
    const int SrcVocab = 20, TgtVocab = 23;

    static (ModelConfig Config, Seq2SeqNetwork Network) Model(string positions = "sinusoidal", bool share = false, bool tie = false)
    {
        manual_seed(11);
        var config = new ModelConfig
        {
            Type = "transformer", TieTargetEmbeddings = tie,
            Transformer = new TransformerConfig
            {
                EncoderLayers = 2, DecoderLayers = 2, ModelSize = 16, Heads = 4, FeedForwardSize = 32, Dropout = 0.1,
                AttentionDropout = 0.1, Positions = positions, MaxPositions = 64, ShareEmbeddings = share,
            },
        };
        var network = ModelBuilder.Build(config, share ? TgtVocab : SrcVocab, TgtVocab);
        network.eval();
        return (config, network);
    }

    [Theory]
    [InlineData("sinusoidal", false, false)]
    [InlineData("learned", false, false)]
    [InlineData("sinusoidal", true, true)]
    public void Fp32_scores_and_greedy_outputs_match_TorchSharp(string positions, bool share, bool tie)
    {
        var (config, network) = Model(positions, share, tie);
        using var onnx = OnnxParity.Load(OnnxExport.Build(config, network, TgtVocab));
        var sources = ModelTestKit.Sources(SrcVocab, 3, 5, 9, 1, 7, 12);
        var targets = OnnxParity.Targets(TgtVocab, 4, 6, 3, 8, 1, 10);
        double max = OnnxParity.AssertScores(network, onnx, sources, targets, 1e-4);
        output.WriteLine($"max |Δ log P| = {max:E2}");
        OnnxParity.AssertGreedy(network, onnx, sources);
    }
}
