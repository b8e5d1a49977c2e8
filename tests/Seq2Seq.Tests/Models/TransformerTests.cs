using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Runs;
using Seq2Seq.Training;
using Seq2Seq.Tests.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

/// <summary>The Transformer's decoding cache, masks, cross-attention weights, search and checkpoints.</summary>
public class TransformerTests
{
    const int SrcVocab = 20, TgtVocab = 15;

    [Theory]
    [InlineData("sinusoidal")]
    [InlineData("learned")]
    public void CachedStepsGiveTheLogitsOfFullRecomputation(string positions)
    {
        using var model = ModelTestKit.Transformer(SrcVocab, TgtVocab, positions);
        using var _ = no_grad();
        var sources = ModelTestKit.Sources(SrcVocab, 1, 6, 3, 9);
        var targets = ModelTestKit.Sources(TgtVocab, 2, 7, 4, 5);
        var batch = Batch.Create(sources, targets, [0, 1, 2]);
        long tgtLen = batch.TargetIn!.shape[1];
        var (memory, state) = model.Encode(batch.Source, batch.SourceLengths);
        for (int t = 0; t < tgtLen; t++)
        {
            // Full recomputation of the prefix 0 … t, without any cache.
            var (full, fullWeights, _) = model.Forward(batch.Source, batch.SourceLengths, batch.TargetIn![.., ..(t + 1)], returnWeights: true);
            var (logits, next, weights) = model.Step(batch.TargetIn![.., t], state, memory);
            state = next;
            Assert.True(logits.allclose(full[.., t], rtol: 0, atol: 1e-5), $"step {t}: max |Δ logit| {(logits - full[.., t]).abs().max().item<float>()}");
            Assert.True(weights!.allclose(fullWeights![.., t], rtol: 0, atol: 1e-5), $"step {t}: attention differs");
        }

        // Greedy search (cached) picks what argmax over full recomputation of the growing prefix picks.
        var greedy = GreedySearch.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: 1, MaxLengthRatio: 0, MaxLengthOffset: 6));
        for (int b = 0; b < sources.Count; b++)
        {
            var one = Batch.Create(sources, null, [b]);
            var prefix = new List<long> { Vocabulary.Bos };
            var expected = new List<int>();
            for (int t = 0; t <= 6; t++)
            {
                var (logits, _, _) = model.Forward(one.Source, one.SourceLengths, tensor(prefix.ToArray()).unsqueeze(0));
                int next = t == 6 ? Vocabulary.Eos : (int)logits[0, -1].argmax().item<long>();
                if (next == Vocabulary.Eos) break;
                expected.Add(next);
                prefix.Add(next);
            }
            Assert.Equal(expected.ToArray(), greedy[b].Tokens);
        }
    }

    [Fact]
    public void CrossAttentionRowsSumToOneOverTheSourceAndAreZeroOnPadding()
    {
        using var model = ModelTestKit.Transformer(SrcVocab, TgtVocab);
        using var _ = no_grad();
        var sources = ModelTestKit.Sources(SrcVocab, 3, 8, 2, 5);
        var targets = ModelTestKit.Sources(TgtVocab, 4, 3, 6, 4);
        var batch = Batch.Create(sources, targets, [0, 1, 2]);
        var (_, weights, _) = model.Forward(batch.Source, batch.SourceLengths, batch.TargetIn!, returnWeights: true);
        Assert.Equal(new long[] { 3, batch.TargetIn!.shape[1], 8 }, weights!.shape);
        for (int b = 0; b < 3; b++)
        {
            int len = sources[b].Length;
            var real = weights[b, .., ..len].sum(-1);                              // [tgtLen]
            Assert.True(real.allclose(ones_like(real), rtol: 0, atol: 1e-5));
            if (len < 8) Assert.Equal(0f, weights[b, .., len..].abs().max().item<float>());
        }

        // What translate --attention writes: per output token a row over the source tokens, summing to 1.
        var hyps = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: 3, ReturnAttention: true), 8);
        for (int i = 0; i < sources.Count; i++)
        {
            var rows = hyps[i][0].Attention!;
            Assert.Equal(hyps[i][0].Tokens.Length + 1, rows.Length);
            foreach (var row in rows)
            {
                Assert.Equal(sources[i].Length, row.Length);
                Assert.Equal(1.0, row.Sum(x => (double)x), 4);
            }
        }
    }

    [Fact]
    public void SourcePaddingDoesNotChangeASentencesOutputs()
    {
        using var model = ModelTestKit.Transformer(SrcVocab, TgtVocab, "learned");
        using var _ = no_grad();
        var sources = ModelTestKit.Sources(SrcVocab, 5, 3, 11);
        var targets = ModelTestKit.Sources(TgtVocab, 6, 5, 2);
        var alone = Batch.Create(sources, targets, [0]);
        var padded = Batch.Create(sources, targets, [0, 1]);                    // sentence 0 padded to 11 source tokens
        Assert.Equal(11, padded.Source.shape[1]);
        var (a, wa, _) = model.Forward(alone.Source, alone.SourceLengths, alone.TargetIn!, returnWeights: true);
        var (p, wp, _) = model.Forward(padded.Source, padded.SourceLengths, padded.TargetIn!, returnWeights: true);
        long t = a.shape[1];
        Assert.True(a[0].allclose(p[0, ..(int)t], rtol: 0, atol: 1e-5), $"max |Δ logit| {(a[0] - p[0, ..(int)t]).abs().max().item<float>()}");
        Assert.True(wa![0].allclose(wp![0, ..(int)t, ..3], rtol: 0, atol: 1e-5));

        var one = CorpusDecoder.Decode(new TorchDecodingBackend(model), [sources[0]], new SearchOptions(BeamSize: 3, NBest: 2), 1)[0];
        var two = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: 3, NBest: 2), 2)[0];
        for (int r = 0; r < 2; r++)
        {
            Assert.Equal(one[r].Tokens, two[r].Tokens);
            Assert.Equal(one[r].LogProb, two[r].LogProb, 4);
        }
    }

    [Fact]
    public void BeamOfOneEqualsGreedyAndBeamScoresMatchTheScorer()
    {
        using var model = ModelTestKit.Transformer(SrcVocab, TgtVocab, seed: 9);
        var sources = ModelTestKit.Sources(SrcVocab, 7, 7, 3, 9, 1, 5, 5, 12);
        var greedy = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: 1), batchSize: 4);
        for (int i = 0; i < sources.Count; i++)
        {
            var beam = BeamSearch.Decode(new TorchDecodingBackend(model), [sources[i]], new SearchOptions(BeamSize: 1, LengthPenalty: 1.0))[0][0];
            Assert.Equal(greedy[i][0].Tokens, beam.Tokens);
            Assert.Equal(greedy[i][0].LogProb, beam.LogProb, 1e-3);                // float32 running sums vs double sums
        }

        // A wider beam reorders the cache rows every step; its log P must still be the teacher-forced one.
        var nbest = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: 5, NBest: 3), batchSize: 8);
        for (int i = 0; i < sources.Count; i++)
        {
            var scored = SequenceScorer.Score(new TorchDecodingBackend(model), nbest[i].Select(_ => sources[i]).ToList(), nbest[i].Select(h => h.Tokens).ToList(), 4096);
            for (int r = 0; r < nbest[i].Count; r++) Assert.Equal(scored[r].Total, nbest[i][r].LogProb, 1e-3);
        }
    }

    [Theory]
    [InlineData("sinusoidal", false, false)]
    [InlineData("learned", true, true)]
    public void SaveThenLoadGivesIdenticalOutputs(string positions, bool share, bool tie)
    {
        using var task = new SyntheticTask(train: 10);
        using var a = ModelTestKit.Transformer(SrcVocab, SrcVocab, positions, share, tie, seed: 1);
        using var b = ModelTestKit.Transformer(SrcVocab, SrcVocab, positions, share, tie, seed: 2);
        string path = Path.Combine(task.Dir, "t.ckpt");
        Checkpoint.Save(path, a, null, new TrainingProgress { Step = 3 });
        Checkpoint.Load(path, b);
        Assert.Equal(a.ParameterCount(), b.ParameterCount());
        ModelTestKit.AssertSameDecodingAndParameters(a, b, SrcVocab);
    }

    [Fact]
    public void ResumedTrainingEndsWithTheSameParametersAsAnUninterruptedOne()
    {
        using var task = new SyntheticTask(train: 600, dev: 20);
        // Dropout on (the RNG state matters), shared and tied embeddings, the noam schedule; a checkpoint every 10 steps.
        var straight = task.Config(20, c => c with
        {
            Data = c.Data with { JointVocabulary = true },
            Model = c.Model with
            {
                Type = "transformer", TieTargetEmbeddings = true,
                Transformer = new TransformerConfig { EncoderLayers = 1, DecoderLayers = 1, ModelSize = 16, Heads = 2, FeedForwardSize = 32, Dropout = 0.2, ShareEmbeddings = true },
            },
            Training = c.Training with { ValidateEvery = 10, Schedule = "noam", LearningRate = 1.0, WarmupSteps = 5 },
        }, "straight");
        ResumeCheck.AssertResumeMatchesStraightRun(straight, Path.Combine(task.Dir, "resumed"), stopAt: 10);
    }

    [Fact]
    public void SharedAndTiedEmbeddingsAreOneMatrix()
    {
        using var separate = ModelTestKit.Transformer(SrcVocab, SrcVocab);
        using var shared = ModelTestKit.Transformer(SrcVocab, SrcVocab, share: true, tie: true);
        // Source embedding, target embedding and output layer: 3 matrices of vocab × 16 become 1.
        Assert.Equal(separate.ParameterCount() - 2 * SrcVocab * 16, shared.ParameterCount());
        var e = Assert.Throws<ArgumentException>(() => ModelTestKit.Transformer(SrcVocab, TgtVocab, share: true));
        Assert.Contains("model.transformer.share_embeddings", e.Message);
    }

    [Theory]
    [InlineData("heads: 3", "model.transformer.model_size (16) must be a multiple of model.transformer.heads (3)")]
    [InlineData("decoder_layers: 0", "model.transformer.decoder_layers must be at least 1")]
    [InlineData("dropout: 1.5", "model.transformer.dropout must be in [0, 1)")]
    public void BadSettingsNameTheKey(string line, string expected)
    {
        var config = ConfigLoader.Parse($"model:\n  type: transformer\n  transformer:\n    model_size: 16\n    {line}\n");
        var e = Assert.Throws<ArgumentException>(() => ModelBuilder.Build(config.Model, SrcVocab, TgtVocab));
        Assert.StartsWith(expected, e.Message);
        var bad = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("model:\n  transformer:\n    positions: rotary\n", "my.yaml"));
        Assert.StartsWith("my.yaml:3: 'model.transformer.positions' must be one of sinusoidal, learned", bad.Message);
    }

    [Fact]
    public void LearnedPositionsCapTheSearchLength()
    {
        manual_seed(4);
        var config = new ModelConfig
        {
            Type = "transformer",
            Transformer = new TransformerConfig { EncoderLayers = 1, DecoderLayers = 1, ModelSize = 8, Heads = 2, FeedForwardSize = 8, Positions = "learned", MaxPositions = 6 },
        };
        using var model = ModelBuilder.Build(config, SrcVocab, TgtVocab);
        model.eval();
        Assert.Equal(6, model.MaxSourceLength);
        Assert.Equal(5, model.MaxTargetLength);
        var sources = ModelTestKit.Sources(SrcVocab, 1, 6, 2);
        foreach (int beam in new[] { 1, 3 })
            foreach (var h in CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: beam, MaxLengthRatio: 3), 4))
                Assert.True(h[0].Tokens.Length <= 5);
    }
}
