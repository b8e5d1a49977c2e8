using Seq2Seq.Configuration;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

/// <summary>Small randomly initialised models and inputs for decoding tests.</summary>
public static class ModelTestKit
{
    public static Seq2SeqNetwork Model(int srcVocab, int tgtVocab, string attention = "general", string rnn = "lstm",
        bool inputFeeding = true, int seed = 5, bool tie = false, bool copy = false)
    {
        manual_seed(seed);
        var config = new ModelConfig
        {
            EmbeddingSize = 16, Dropout = 0.0, TieTargetEmbeddings = tie, CopyAttention = copy,
            Encoder = new EncoderConfig { Type = rnn, HiddenSize = 16, Layers = 1 },
            Decoder = new DecoderConfig { Type = rnn, HiddenSize = 16, Layers = 2, Attention = attention, InputFeeding = inputFeeding },
        };
        var model = ModelBuilder.Build(config, srcVocab, tgtVocab);
        model.eval();
        return model;
    }

    /// <summary>A small randomly initialised Transformer (dropout configured but off in eval mode).</summary>
    public static Seq2SeqNetwork Transformer(int srcVocab, int tgtVocab, string positions = "sinusoidal", bool share = false,
        bool tie = false, int seed = 5, bool copy = false)
    {
        manual_seed(seed);
        var config = new ModelConfig
        {
            Type = "transformer", TieTargetEmbeddings = tie, CopyAttention = copy,
            Transformer = new TransformerConfig
            {
                EncoderLayers = 2, DecoderLayers = 2, ModelSize = 16, Heads = 4, FeedForwardSize = 32, Dropout = 0.1,
                AttentionDropout = 0.1, Positions = positions, MaxPositions = 64, ShareEmbeddings = share,
            },
        };
        var model = ModelBuilder.Build(config, srcVocab, tgtVocab);
        model.eval();
        return model;
    }

    /// <summary>Random source id sequences (ids ≥ 4, no specials) of the given lengths.</summary>
    public static List<int[]> Sources(int vocab, int seed, params int[] lengths)
    {
        var rng = new Random(seed);
        return lengths.Select(n => Enumerable.Range(0, n).Select(_ => rng.Next(4, vocab)).ToArray()).ToList();
    }

    /// <summary>Asserts that two models give the same beam-4 2-best outputs and log-probabilities on a few sources
    /// and have equal parameters (compared by name).</summary>
    public static void AssertSameDecodingAndParameters(Seq2SeqNetwork a, Seq2SeqNetwork b, int srcVocab)
    {
        var sources = Sources(srcVocab, 8, 5, 8, 2);
        var options = new SearchOptions(BeamSize: 4, NBest: 2);
        var outA = CorpusDecoder.Decode(new TorchDecodingBackend(a), sources, options, 8);
        var outB = CorpusDecoder.Decode(new TorchDecodingBackend(b), sources, options, 8);
        for (int i = 0; i < sources.Count; i++)
            for (int r = 0; r < 2; r++)
            {
                Assert.Equal(outA[i][r].Tokens, outB[i][r].Tokens);
                Assert.Equal(outA[i][r].LogProb, outB[i][r].LogProb);
            }
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), name);
    }
}
