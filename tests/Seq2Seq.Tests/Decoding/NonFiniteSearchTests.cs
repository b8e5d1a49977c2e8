using Seq2Seq.Decoding;

namespace Seq2Seq.Tests.Decoding;

/// <summary>A model whose log-probabilities are NaN (broken weights): both searches read NaN as an impossible token,
/// so they end at once instead of decoding to the length limit — greedy with a -∞ hypothesis, beam with none — and
/// the server can answer with an error.</summary>
public class NonFiniteSearchTests
{
    [Fact]
    public void NaN_log_probabilities_end_greedy_and_beam_search_at_the_first_step()
    {
        var nan = Enumerable.Range(0, 7).Select(_ => Enumerable.Repeat(float.NaN, 7).ToArray()).ToArray();
        using var model = new ScriptedNetwork([nan]);
        var backend = new TorchDecodingBackend(model);
        var sources = new List<int[]> { new[] { 4, 5 }, new[] { 6 } };
        var options = new SearchOptions(BeamSize: 1, MaxLengthOffset: 20);

        using (var tally = new DecodingWork.Tally())
        {
            var greedy = GreedySearch.Decode(backend, sources, options);
            Assert.All(greedy, h => Assert.Empty(h.Tokens));
            Assert.All(greedy, h => Assert.True(double.IsNegativeInfinity(h.LogProb)));
            Assert.Equal(2, tally.RowSteps);
        }
        using (var tally = new DecodingWork.Tally())
        {
            Assert.All(BeamSearch.Decode(backend, sources, options with { BeamSize = 3 }), Assert.Empty);
            Assert.Equal(6, tally.RowSteps);
        }
    }
}
