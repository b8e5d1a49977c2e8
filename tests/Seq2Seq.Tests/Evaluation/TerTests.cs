using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// TER = edits / reference words * 100, edits = block shifts + word edit distance after the shifts
// (Snover et al. 2006, as sacreBLEU 2.6 implements it with its default case-insensitive tercom settings).
public class TerTests
{
    static IReadOnlyList<IReadOnlyList<string>> Refs(params string[][] streams) => streams;

    [Fact]
    public void A_block_shift_costs_one_edit()
    {
        // hyp "c d e a b" vs ref "a b c d e". Without shifts the best alignment keeps "c d e" and costs
        // 2 deletions + 2 insertions = 4. "c d e" is matched, so only the misplaced block "a b" may move; moving it
        // to the front (target 0, before the word aligned to ref position 0) gives "a b c d e" at distance 0,
        // lowering the distance by 4. Then nothing is wrong, so the search stops: 1 shift + 0 edits = 1.
        // TER = 1 / 5 = 20.
        var score = new Ter().CorpusScore(["c d e a b"], Refs(["a b c d e"]));
        Assert.Equal(20.0, score.Score, 10);
        Assert.Equal(1.0, score.Edits);
        Assert.Equal(5.0, score.ReferenceLength);
        Assert.Equal("nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0", score.Signature);
    }

    [Fact]
    public void Ter_is_case_insensitive_and_counts_plain_edits()
    {
        // Lowercased: [the, cat] vs [the, dog, sat]: "the" matches, cat -> dog is a substitution, "sat" an
        // insertion: 2 edits over 3 reference words = 66.67. No shift applies ("the" is already matched).
        var score = new Ter().SentenceScore("The Cat", ["the dog sat"]);
        Assert.Equal(200.0 / 3, score.Score, 10);
        Assert.Equal(0.0, new Ter().SentenceScore("A B", ["a b"]).Score);
    }

    [Fact]
    public void Several_references_take_the_fewest_edits_over_the_mean_length()
    {
        // hyp "a b c": ref1 "a b" needs 1 edit (2 words), ref2 "a b c d e f" needs 3 (6 words).
        // sacreBLEU keeps the fewest edits (1) but divides by the mean reference length (2 + 6) / 2 = 4: TER = 25.
        var score = new Ter().CorpusScore(["a b c"], Refs(["a b"], ["a b c d e f"]));
        Assert.Equal(25.0, score.Score, 10);
        Assert.Equal(4.0, score.ReferenceLength);
    }

    [Fact]
    public void Empty_reference_counts_every_hypothesis_word()
    {
        // No reference words: edits = hypothesis length (2), length 0 -> TER = 100 (score 1.0 by definition).
        Assert.Equal(100.0, new Ter().SentenceScore("a b", [""]).Score);
        Assert.Equal(0.0, new Ter().SentenceScore("", [""]).Score);
    }
}
