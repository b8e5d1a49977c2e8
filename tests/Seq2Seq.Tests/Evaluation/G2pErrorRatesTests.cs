using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// WER and PER as issue 3 item 6 defines them, worked by hand: a word is right if its phonemes equal ANY reference
// pronunciation; PER = sum of edit distances to the closest pronunciation / sum of those pronunciations' lengths.
public class G2pErrorRatesTests
{
    const string Reference =
        "read\tR IY1 D\n" +
        "read\tR EH1 D\n" +
        "live\tL IH1 V\n" +
        "live\tL AY1 V\n" +
        "cat\tK AE1 T\n";

    [Fact]
    public void Words_with_several_pronunciations()
    {
        // read -> "R EH1 D" equals the 2nd pronunciation: right, distance 0, length 3.
        // live -> "L AY1 F": distance 2 to "L IH1 V", 1 to "L AY1 V" -> wrong, distance 1, length 3.
        // cat  -> empty: wrong, distance 3 (three insertions), length 3.
        // WER = 2 wrong / 3 words = 66.67; PER = (0 + 1 + 3) / (3 + 3 + 3) = 4/9 = 44.44.
        using var files = new TempFiles();
        var hyp = files.Write("hyp.tsv", "read\tR EH1 D\nlive\tL AY1 F\ncat\t\n");
        var refs = files.Write("ref.tsv", Reference);
        var score = G2pErrorRates.Compute(hyp, refs);
        Assert.Equal(3, score.Words);
        Assert.Equal(2, score.WrongWords);
        Assert.Equal(200.0 / 3, score.Wer, 10);
        Assert.Equal(400.0 / 9, score.Per, 10);
    }

    [Fact]
    public void Stress_digits_are_also_scored_without_stress()
    {
        // read -> "R IY0 D": only the stress differs from "R IY1 D" -> wrong with stress (distance 1), right without.
        // live -> "L AY1 F": wrong both ways, distance 1. cat -> "K AE1 T": right both ways.
        // With stress: WER 2/3, PER 2/9. Without: WER 1/3, PER 1/9.
        using var files = new TempFiles();
        var hyp = files.Write("hyp.tsv", "read\tR IY0 D\nlive\tL AY1 F\ncat\tK AE1 T\n");
        var refs = files.Write("ref.tsv", Reference);
        var score = G2pErrorRates.Compute(hyp, refs);
        Assert.Equal(200.0 / 3, score.Wer, 10);
        Assert.Equal(200.0 / 9, score.Per, 10);
        Assert.NotNull(score.WithoutStress);
        Assert.Equal(100.0 / 3, score.WithoutStress.Wer, 10);
        Assert.Equal(100.0 / 9, score.WithoutStress.Per, 10);
        Assert.Null(score.WithoutStress.WithoutStress);

        // References without stress digits (another phone set, or letters) get no second score.
        IReadOnlyList<string> predicted = ["k", "ae", "t"];
        IReadOnlyList<IReadOnlyList<string>> plain = [["k", "ae", "t"]];
        Assert.Null(G2pErrorRates.Compute([(predicted, plain)]).WithoutStress);
        Assert.Equal(["AH", "T", "ER", "B2B"], ArpabetStress.Strip(["AH0", "T", "ER2", "B2B"]));
    }

    [Fact]
    public void Per_ties_take_the_first_reference()
    {
        // "A B C" is at distance 1 from both "A B" (length 2) and "A B C D" (length 4); the first in file order
        // counts: PER = 1 / 2 = 50. WER = 100 (no exact match).
        IReadOnlyList<string> predicted = ["A", "B", "C"];
        IReadOnlyList<IReadOnlyList<string>> refs = [["A", "B"], ["A", "B", "C", "D"]];
        var score = G2pErrorRates.Compute([(predicted, refs)]);
        Assert.Equal(50.0, score.Per, 10);
        Assert.Equal(100.0, score.Wer, 10);
    }

    [Fact]
    public void Hypothesis_word_missing_from_reference_is_named()
    {
        using var files = new TempFiles();
        var hyp = files.Write("hyp.tsv", "read\tR EH1 D\nzebra\tZ IY1 B R AH0\n");
        var refs = files.Write("ref.tsv", Reference);
        var e = Assert.Throws<EvaluationInputException>(() => G2pErrorRates.Compute(hyp, refs));
        Assert.Contains("'zebra'", e.Message);
        Assert.Contains(hyp + ":2", e.Message);
    }

    [Fact]
    public void Edit_distance_counts_insertions_deletions_substitutions()
    {
        // kitten -> sitting: k/s, e/i substitutions and an inserted g = 3.
        Assert.Equal(3, EditDistance.Compute("kitten".ToCharArray(), "sitting".ToCharArray()));
        Assert.Equal(2, EditDistance.Compute<string>([], ["a", "b"]));
    }
}
