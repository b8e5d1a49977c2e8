using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Tests.Models;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Decoding;

public class SearchTests
{
    [Theory]
    [InlineData("general", "lstm", true)]
    [InlineData("concat", "gru", false)]
    [InlineData("additive", "lstm", true)]
    [InlineData("none", "gru", true)]
    public void BeamOfOneEqualsGreedy(string attention, string rnn, bool inputFeeding)
    {
        using var model = ModelTestKit.Model(20, 15, attention, rnn, inputFeeding);
        var sources = ModelTestKit.Sources(20, 1, 7, 3, 9, 1, 5, 5, 12);
        var greedy = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: 1), batchSize: 4);
        var beam = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: 1, NBest: 1, LengthPenalty: 0), batchSize: 3)
            .Select(h => h[0]).ToList();
        // Force the beam code path with beam 1 by asking BeamSearch directly as well.
        var direct = sources.Select(s =>
        {
            return BeamSearch.Decode(new TorchDecodingBackend(model), [s], new SearchOptions(BeamSize: 1, LengthPenalty: 1.0))[0][0];
        }).ToList();
        for (int i = 0; i < sources.Count; i++)
        {
            Assert.Equal(greedy[i][0].Tokens, direct[i].Tokens);
            Assert.Equal(greedy[i][0].LogProb, direct[i].LogProb, 3); // float32 running sums vs double sums
            Assert.Equal(direct[i].Score, greedy[i][0].Score, 3);   // score means log P / length penalty for both
            Assert.Equal(greedy[i][0].Tokens, beam[i].Tokens);
        }
    }

    [Fact]
    public void BeamSearchFindsTheExactBestSequence()
    {
        // Target vocabulary: the 4 specials + 3 words = 7; max output length 3 (a = 0, b = 3). Without a length
        // penalty, log P only falls as a sequence grows, so a beam wide enough to keep every prefix (7³) is exact.
        using var model = ModelTestKit.Model(10, 7, seed: 11);
        var options = new SearchOptions(BeamSize: 343, LengthPenalty: 0, MaxLengthRatio: 0, MaxLengthOffset: 3);
        foreach (var source in ModelTestKit.Sources(10, 2, 4, 2, 6))
        {
            var best = BeamSearch.Decode(new TorchDecodingBackend(model), [source], options)[0][0];

            // Exhaustive: every sequence of 0..3 tokens (any id but </s>) followed by </s>.
            var candidates = new List<int[]> { Array.Empty<int>() };
            for (int len = 1; len <= 3; len++)
                candidates.AddRange(Sequences(len, 7).Where(s => !s.Contains(Vocabulary.Eos)));
            var scores = SequenceScorer.Score(new TorchDecodingBackend(model), candidates.Select(_ => source).ToList(), candidates, batchTokens: 4096);
            int argmax = Enumerable.Range(0, candidates.Count).MaxBy(i => scores[i].Total);
            Assert.Equal(candidates[argmax], best.Tokens);
            Assert.Equal(scores[argmax].Total, best.LogProb, 4);
        }
    }

    [Theory]
    [InlineData(0.6)]
    [InlineData(1.0)]
    public void BeamSearchFindsTheExactBestSequenceUnderTheLengthPenalty(double alpha)
    {
        // As above, with the GNMT penalty: the best is the sequence with the highest log P / ((5 + |y|) / 6)^α (|y|
        // counting </s>). A search that stops once a candidate ends, although a longer live one could still score
        // higher, misses it. Checked on an untrained model (diffuse, so length matters a lot) and on a briefly trained
        // one (reverse task over 3 words).
        using var task = new SyntheticTask(vocab: 3, minLen: 1, maxLen: 3, train: 400, dev: 20);
        var config = task.Config(15, c => c with { Training = c.Training with { LearningRate = 1e-2 } });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        using var trained = Seq2SeqModel.Load(config.RunDir);
        Assert.Equal(7, trained.TargetVocab.Count);
        using var untrained = ModelTestKit.Model(10, 7, seed: 11);
        var options = new SearchOptions(BeamSize: 343, LengthPenalty: alpha, MaxLengthRatio: 0, MaxLengthOffset: 3);
        var cases = ModelTestKit.Sources(10, 2, 4, 2, 6, 1, 3, 5).Select(s => (untrained, s))
            .Concat(ModelTestKit.Sources(trained.SourceVocab.Count, 3, 1, 2, 3, 3, 2, 1).Select(s => (trained.Network, s)));
        foreach (var (model, source) in cases)
        {
            var best = BeamSearch.Decode(new TorchDecodingBackend(model), [source], options)[0][0];

            var candidates = new List<int[]> { Array.Empty<int>() };
            for (int len = 1; len <= 3; len++)
                candidates.AddRange(Sequences(len, 7).Where(s => !s.Contains(Vocabulary.Eos)));
            var scores = SequenceScorer.Score(new TorchDecodingBackend(model), candidates.Select(_ => source).ToList(), candidates, batchTokens: 4096);
            double Normalised(int i) => scores[i].Total / Math.Pow((5.0 + candidates[i].Length + 1) / 6.0, alpha);
            int argmax = Enumerable.Range(0, candidates.Count).MaxBy(Normalised);
            Assert.Equal(candidates[argmax], best.Tokens);
            Assert.Equal(Normalised(argmax), best.Score, 4);
        }
    }

    [Theory]
    [InlineData(0.6, 2)]
    [InlineData(1.0, 2)]
    [InlineData(1.0, 343)]
    public void ACandidateThatEndsFirstDoesNotStopTheSearchWhileALongerOneCanStillWin(double alpha, int beam)
    {
        // Words x = 4, a = 5. First token x or a (log P ≈ ln 0.5 each); x is then followed by </s> for sure, a by two
        // more a's with P ≈ 0.995 each and </s> at position 3. At step 2 "x </s>" is the best candidate by log P, but
        // "a a a </s>" has nearly the same log P and a larger penalty ((5 + 4) / 6 vs (5 + 2) / 6), so it wins for
        // α = 0.6 and 1: the search must keep going past the first finished candidate.
        const float Never = -30f;
        float[] Row(params (int Token, float Logit)[] allowed)
        {
            var row = Enumerable.Repeat(Never, 7).ToArray();
            foreach (var (token, logit) in allowed) row[token] = logit;
            return row;
        }
        float[][] Position(float[] afterX, float[] afterA) =>
            Enumerable.Range(0, 7).Select(prev => prev == Vocabulary.Bos ? Row((4, 0f), (5, 0f)) : prev == 4 ? afterX : prev == 5 ? afterA : Row()).ToArray();
        var eos = Row((Vocabulary.Eos, 0f));
        var moreA = Row((5, 0f), (Vocabulary.Eos, -6f), (4, -6f));
        using var model = new ScriptedNetwork([Position(eos, moreA), Position(eos, moreA), Position(eos, moreA), Position(eos, eos)]);

        var source = new[] { 4 };
        var options = new SearchOptions(BeamSize: beam, LengthPenalty: alpha, MaxLengthRatio: 0, MaxLengthOffset: 3);
        var best = BeamSearch.Decode(new TorchDecodingBackend(model), [source], options)[0][0];
        Assert.Equal([5, 5, 5], best.Tokens);
        var exact = SequenceScorer.Score(new TorchDecodingBackend(model), [source], [[5, 5, 5]], 4096)[0].Total;
        Assert.Equal(exact / Math.Pow(9.0 / 6, alpha), best.Score, 5);
        // The early rule (decoding.beam_stop: early) stops when the most probable candidate ends: "x </s>".
        var early = BeamSearch.Decode(new TorchDecodingBackend(model), [source], options with { BeamStop = BeamStops.Early })[0][0];
        Assert.Equal([4], early.Tokens);
    }

    [Fact]
    public void NBestListIsSortedDistinctAndScoredByTheScorer()
    {
        using var model = ModelTestKit.Model(20, 12);
        var sources = ModelTestKit.Sources(20, 3, 6, 4);
        var results = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: 5, NBest: 3, LengthPenalty: 1.0), batchSize: 8);
        for (int i = 0; i < sources.Count; i++)
        {
            var nbest = results[i];
            Assert.Equal(3, nbest.Count);
            Assert.True(nbest[0].Score >= nbest[1].Score && nbest[1].Score >= nbest[2].Score);
            Assert.Equal(3, nbest.Select(h => string.Join(',', h.Tokens)).Distinct().Count());
            // The search's log P agrees with teacher-forced scoring of the same output.
            var scored = SequenceScorer.Score(new TorchDecodingBackend(model), nbest.Select(_ => sources[i]).ToList(), nbest.Select(h => h.Tokens).ToList(), 4096);
            for (int r = 0; r < 3; r++)
            {
                Assert.Equal(scored[r].Total, nbest[r].LogProb, 3);
                double lp = Math.Pow((5.0 + nbest[r].Tokens.Length + 1) / 6.0, 1.0);
                Assert.Equal(nbest[r].LogProb / lp, nbest[r].Score, 3);
            }
        }
    }

    [Fact]
    public void OutputRespectsTheMaximumLength()
    {
        using var model = ModelTestKit.Model(20, 12);
        var sources = ModelTestKit.Sources(20, 4, 2, 5);
        var options = new SearchOptions(BeamSize: 3, MaxLengthRatio: 1.0, MaxLengthOffset: 1);
        foreach (var (hyps, src) in CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, options, 8).Zip(sources))
            Assert.True(hyps[0].Tokens.Length <= src.Length + 1);
        foreach (var (hyps, src) in CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, options with { BeamSize = 1 }, 8).Zip(sources))
            Assert.True(hyps[0].Tokens.Length <= src.Length + 1);
    }

    [Fact]
    public void GreedyWorkCountsFollowTheOutputs()
    {
        // Untrained: outputs of many different lengths, up to each source's limit, so rows finish at different steps.
        using var model = ModelTestKit.Model(20, 12, seed: 5);
        var sources = ModelTestKit.Sources(20, 1, 9, 2, 7, 3, 12, 1, 4, 6, 2, 8, 5, 10, 3, 1, 11);
        var options = new SearchOptions(BeamSize: 1, MaxLengthRatio: 1.0, MaxLengthOffset: 1);
        using var tally = new DecodingWork.Tally();
        var hyps = GreedySearch.Decode(new TorchDecodingBackend(model), sources, options);

        // Each sentence takes its length + 1 steps (the last produces </s>). Replay the rule: rows stay in the batch
        // until an eighth of those present are finished, then the finished ones leave.
        int[] stepsOf = hyps.Select(h => h.Tokens.Length + 1).ToArray();
        int steps = stepsOf.Max(), present = sources.Count;
        long expected = 0;
        for (int t = 0; t < steps; t++)
        {
            expected += present;
            int running = stepsOf.Count(s => s > t + 1);
            if (running > 0 && (present - running) * 8 >= present) present = running;
        }
        Assert.Equal(expected, tally.RowSteps);
        Assert.Equal((long)sources.Count * steps, tally.FullBatchRowSteps);
        Assert.True(tally.RowSteps < tally.FullBatchRowSteps, $"{tally.RowSteps} vs {tally.FullBatchRowSteps}");
    }

    [Fact]
    public void BeamWorkCountsOnlyLiveSentences()
    {
        using var model = ModelTestKit.Model(20, 12, seed: 5);
        var sources = ModelTestKit.Sources(20, 1, 1, 9, 2, 7);
        using var tally = new DecodingWork.Tally();
        BeamSearch.Decode(new TorchDecodingBackend(model), sources.Take(4).ToList(), new SearchOptions(BeamSize: 3, MaxLengthRatio: 1.0, MaxLengthOffset: 1));
        // Every step computes 3 rows per live sentence; the longest source (9 tokens, limit 10) may need up to 11 steps.
        Assert.Equal(0, tally.RowSteps % 3);
        Assert.InRange(tally.FullBatchRowSteps, 4 * 3, 4 * 3 * 11);
        Assert.True(tally.RowSteps <= tally.FullBatchRowSteps);
        Assert.Equal(0, tally.FullBatchRowSteps % 12);
    }

    static IEnumerable<int[]> Sequences(int length, int vocab)
    {
        if (length == 0) { yield return []; yield break; }
        foreach (var prefix in Sequences(length - 1, vocab))
            for (int v = 0; v < vocab; v++)
                yield return [.. prefix, v];
    }
}
