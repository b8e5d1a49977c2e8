using Seq2Seq.Decoding;
using Seq2Seq.Tests.Models;

namespace Seq2Seq.Tests.Decoding;

/// <summary>A sentence whose result is no longer wanted (a server request that timed out or whose client left) leaves
/// the decoding batch at the next step, and the other sentences decode exactly as before.</summary>
public class AbandonedSearchTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    public void AnAbandonedSentenceStopsAtTheNextStepAndTheOthersAreUnchanged(int beam, int nbest)
    {
        using var model = ModelTestKit.Model(20, 15);
        var sources = ModelTestKit.Sources(20, 3, 9, 6, 12, 4);
        var options = new SearchOptions(BeamSize: beam, NBest: nbest, MaxLengthOffset: 30);
        List<List<Hypothesis>> all, some;
        long allSteps, someSteps;
        using (var tally = new DecodingWork.Tally()) { all = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, options, 8); allSteps = tally.RowSteps; }

        // Sentence 1 is abandoned after the search has run 3 steps of it.
        int checks = 0;
        using (var tally = new DecodingWork.Tally())
        {
            some = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, options, 8, abandoned: i => i == 1 && Interlocked.Increment(ref checks) > 3);
            someSteps = tally.RowSteps;
        }
        // (Rows leaving the batch change its shape, so the floats may differ in their last bits.)
        foreach (int i in new[] { 0, 2, 3 })
        {
            Assert.Equal(all[i].Select(h => h.Tokens), some[i].Select(h => h.Tokens));
            foreach (var (a, b) in all[i].Zip(some[i])) Assert.Equal(a.LogProb, b.LogProb, 4);
        }
        Assert.All(some[1], h => Assert.True(h.Tokens.Length <= 3, $"{h.Tokens.Length} tokens after abandoning"));
        Assert.True(someSteps < allSteps, $"{someSteps} row-steps with the abandoned sentence, {allSteps} without");

        // A batch whose sentences are all abandoned before it starts is not decoded at all.
        using (var tally = new DecodingWork.Tally())
        {
            var none = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, options, 8, abandoned: _ => true);
            Assert.Equal(0, tally.RowSteps);
            Assert.All(none, Assert.Empty);
        }
    }
}
