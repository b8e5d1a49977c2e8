using Seq2Seq.Configuration;
using Seq2Seq.Models;
using Seq2Seq.Onnx;
using Seq2Seq.Tests.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Onnx;

/// <summary>Each RNN encoder-decoder variant exported and run through ONNX Runtime against TorchSharp:
/// teacher-forced log P(y|x) per token within 1e-4, identical greedy outputs, on sources of mixed lengths (so the
/// packed encoder and the source mask matter).</summary>
public sealed class RnnOnnxTests(ITestOutputHelper output)
{
    const int SrcVocab = 21, TgtVocab = 19;

    static (ModelConfig Config, Seq2SeqNetwork Network) Model(string encoder, bool bidirectional, int encoderLayers, string decoder,
        string attention, string attentionType, bool inputFeeding, bool bridge, string hybridLocal = "local-p", bool tie = false)
    {
        manual_seed(13);
        var config = new ModelConfig
        {
            EmbeddingSize = 16, Dropout = 0.1, TieTargetEmbeddings = tie,
            Encoder = new EncoderConfig { Type = encoder, HiddenSize = 16, Layers = encoderLayers, Bidirectional = bidirectional },
            Decoder = new DecoderConfig
            {
                Type = decoder, HiddenSize = 16, Layers = 2, Attention = attention, AttentionType = attentionType,
                InputFeeding = inputFeeding, Bridge = bridge, LocalWindow = 2, HybridLocal = hybridLocal,
            },
        };
        var network = ModelBuilder.Build(config, SrcVocab, TgtVocab);
        network.eval();
        return (config, network);
    }

    public static TheoryData<string, bool, int, string, string, string, bool, bool, string, bool> Variants => new()
    {
        // encoder, bidirectional, encoder layers, decoder, attention, attention type, input feeding, bridge, hybrid local, tie
        { "lstm", true, 2, "lstm", "general", "global", true, true, "local-p", false },   // the shipped Bible/g2p shape
        { "gru", true, 2, "gru", "dot", "global", true, true, "local-p", false },
        { "lstm", false, 1, "lstm", "concat", "global", false, false, "local-p", false },
        { "gru", false, 2, "lstm", "additive", "global", true, true, "local-p", false },
        { "lstm", true, 1, "gru", "none", "global", true, true, "local-p", false },
        { "lstm", true, 1, "lstm", "general", "local-m", true, true, "local-p", false },
        { "lstm", true, 1, "lstm", "concat", "local-p", true, true, "local-p", false },
        { "lstm", true, 1, "lstm", "general", "hybrid", true, true, "local-p", false },
        { "lstm", true, 1, "lstm", "dot", "hybrid", false, true, "local-m", true },
        { "cnn", false, 2, "lstm", "general", "global", true, true, "local-p", false },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Fp32_scores_and_greedy_outputs_match_TorchSharp(string encoder, bool bidirectional, int encoderLayers, string decoder,
        string attention, string attentionType, bool inputFeeding, bool bridge, string hybridLocal, bool tie)
    {
        var (config, network) = Model(encoder, bidirectional, encoderLayers, decoder, attention, attentionType, inputFeeding, bridge, hybridLocal, tie);
        using var onnx = OnnxParity.Load(OnnxExport.Build(config, network, TgtVocab));
        var sources = ModelTestKit.Sources(SrcVocab, 3, 5, 9, 1, 7, 12);
        var targets = OnnxParity.Targets(TgtVocab, 4, 6, 3, 8, 1, 10);
        double max = OnnxParity.AssertScores(network, onnx, sources, targets, 1e-4);
        output.WriteLine($"max |Δ log P| = {max:E2}");
        OnnxParity.AssertGreedy(network, onnx, sources);
    }

    [Fact]
    public void A_source_longer_than_the_position_table_is_refused_with_the_limit()
    {
        manual_seed(3);
        var config = new ModelConfig
        {
            EmbeddingSize = 16,
            Encoder = new EncoderConfig { Type = "cnn", HiddenSize = 16, Layers = 1, MaxPositions = 8 },
            Decoder = new DecoderConfig { HiddenSize = 16, Layers = 1 },
        };
        var network = ModelBuilder.Build(config, SrcVocab, TgtVocab);
        var graphs = OnnxExport.Build(config, network, TgtVocab);
        using var onnx = new OnnxRuntimeModel(graphs.Encoder, graphs.DecoderStep, graphs.Signature, 1, network.MaxSourceLength);
        onnx.Encode(ModelTestKit.Sources(SrcVocab, 1, 8));
        var e = Assert.Throws<ArgumentException>(() => onnx.Encode(ModelTestKit.Sources(SrcVocab, 1, 9)));
        Assert.Equal("a source of 9 tokens is longer than the model's position table (8); truncate it first", e.Message);
    }

    [Theory]
    [InlineData("local-p")]
    [InlineData("local-m")]
    public void Hybrid_gates_from_the_step_graph_match_the_scorers(string hybridLocal)
    {
        var (config, network) = Model("lstm", true, 1, "lstm", "general", "hybrid", true, true, hybridLocal);
        var graphs = OnnxExport.Build(config, network, TgtVocab);
        Assert.True(graphs.Signature.Gate);
        using var onnx = OnnxParity.Load(graphs);
        var sources = ModelTestKit.Sources(SrcVocab, 3, 5, 9, 1);
        var targets = OnnxParity.Targets(TgtVocab, 4, 6, 3, 8);
        var reference = Seq2Seq.Decoding.SequenceScorer.Score(new Seq2Seq.Decoding.TorchDecodingBackend(network), sources, targets, 4096, gates: true);
        var (memory, state) = onnx.Encode(sources);
        double max = 0;
        for (int t = 0; t <= targets.Max(y => y.Length); t++)
        {
            var previous = targets.Select(y => (long)(t == 0 ? Seq2Seq.Data.Vocabulary.Bos : t <= y.Length ? y[t - 1] : Seq2Seq.Data.Vocabulary.Eos)).ToArray();
            using var step = onnx.Step(previous, t, memory, state);
            var gates = step.Gate!.Span<float>().ToArray();
            for (int b = 0; b < sources.Count; b++)
                if (t <= targets[b].Length) max = Math.Max(max, Math.Abs(gates[b] - reference[b].Gates![t]));
            state = step.State;
        }
        output.WriteLine($"max |Δ gate| = {max:E2}");
        Assert.True(max < 1e-5, $"max |Δ gate| {max}");
    }
}
