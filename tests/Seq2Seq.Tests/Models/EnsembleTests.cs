using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

public class EnsembleTests
{
    static readonly int[][] Targets = [[5, 6, 7], [8, 9], [4, 10, 11, 12]];

    [Fact]
    public void AnEnsembleOfOneDecodesAndScoresAsItsMember()
    {
        var single = ModelTestKit.Model(20, 15, seed: 1);
        using var ensemble = new Ensemble([single], [16]);
        var sources = ModelTestKit.Sources(20, 3, 5, 3, 7);
        foreach (int beam in new[] { 1, 4 })
        {
            var options = new SearchOptions(beam, NBest: beam == 1 ? 1 : 2, LengthPenalty: 0.6);
            var a = CorpusDecoder.Decode(new TorchDecodingBackend(single), sources, options, 8);
            var b = CorpusDecoder.Decode(new TorchDecodingBackend(ensemble), sources, options, 8);
            for (int i = 0; i < a.Count; i++)
                for (int r = 0; r < a[i].Count; r++)
                {
                    Assert.Equal(a[i][r].Tokens, b[i][r].Tokens);
                    Assert.Equal(a[i][r].LogProb, b[i][r].LogProb, 4);
                }
        }
        var sa = SequenceScorer.Score(new TorchDecodingBackend(single), sources, Targets, 1000);
        var sb = SequenceScorer.Score(new TorchDecodingBackend(ensemble), sources, Targets, 1000);
        for (int i = 0; i < sa.Count; i++) Assert.Equal(sa[i].Total, sb[i].Total, 4);
    }

    [Fact]
    public void EachStepIsTheRenormalisedMeanOfTheMembersLogProbabilitiesAcrossArchitectures()
    {
        var rnn = ModelTestKit.Model(20, 15, seed: 1);
        var transformer = ModelTestKit.Transformer(20, 15, seed: 2);
        using var ensemble = new Ensemble([rnn, transformer], [16, 16]);
        var sources = ModelTestKit.Sources(20, 3, 5, 3, 7);
        var scores = SequenceScorer.Score(new TorchDecodingBackend(ensemble), sources, Targets, 1000);
        var r = SequenceScorer.Score(new TorchDecodingBackend(rnn), sources, Targets, 1000);
        var t = SequenceScorer.Score(new TorchDecodingBackend(transformer), sources, Targets, 1000);

        // Recompute one pair's first-token log P by hand: log_softmax of the mean of the two log-softmaxes.
        using var _ = no_grad();
        var src = tensor(sources[0].Select(x => (long)x).ToArray()).unsqueeze(0);
        var lengths = tensor(new long[] { sources[0].Length });
        var bos = tensor(new long[] { Seq2Seq.Data.Vocabulary.Bos });
        var (mr, sr) = rnn.Encode(src, lengths);
        var (mt, st) = transformer.Encode(src, lengths);
        var mean = (rnn.Step(bos, sr, mr).Logits.log_softmax(-1) + transformer.Step(bos, st, mt).Logits.log_softmax(-1)) / 2;
        double expected = mean.log_softmax(-1)[0, Targets[0][0]].item<float>();
        Assert.Equal(expected, scores[0].PerToken[0], 4);
        // Not simply one member's score.
        Assert.NotEqual(r[0].Total, scores[0].Total, 3);
        Assert.NotEqual(t[0].Total, scores[0].Total, 3);
        // Search runs on the mixed architectures' combined state.
        var hyps = CorpusDecoder.Decode(new TorchDecodingBackend(ensemble), sources, new SearchOptions(3, ReturnAttention: true), 8);
        Assert.All(hyps, h => Assert.NotNull(h[0].Attention));
    }

    [Fact]
    public void RunsLoadAsAnEnsembleOnlyWhenTheyShareVocabulariesAndTokenisers()
    {
        using var task = new SyntheticTask(train: 300);
        var a = task.Config(4, runName: "a");
        var b = task.Config(4, c => c with { Training = c.Training with { Seed = 2 } }, "b");
        var other = task.Config(4, c => c with { Data = c.Data with { TargetTokenizer = "char" } }, "other");
        foreach (var config in new[] { a, b, other }) Trainer.Run(config, new TrainerOptions(false, _ => { }));

        using var ensemble = Seq2SeqModel.LoadEnsemble([a.RunDir, b.RunDir]);
        Assert.IsType<Ensemble>(ensemble.Network);
        var source = task.Pairs("test")[0].Source;
        Assert.NotNull(ensemble.Translate(source, beam: 3).Text);

        var e = Assert.Throws<ArgumentException>(() => Seq2SeqModel.LoadEnsemble([a.RunDir, other.RunDir]));
        Assert.Contains("cannot form an ensemble", e.Message);
        Assert.Contains(other.RunDir, e.Message);
    }
}
