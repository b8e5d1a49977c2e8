using Seq2Seq.Evaluation;
using Seq2Seq.Text;

namespace Seq2Seq.Tests.Evaluation;

// Expected values follow sacreBLEU's published definition (Post 2018; sacreBLEU 2.6 source):
// BLEU = BP * exp(mean over orders n of ln p_n), p_n in percent; BP = exp(1 - r/c) when c < r.
// Each test shows the n-gram counts worked by hand and the arithmetic.
public class BleuTests
{
    static IReadOnlyList<IReadOnlyList<string>> Refs(params string[][] streams) => streams;

    [Fact]
    public void Identical_text_scores_100()
    {
        // Every n-gram matches: p_n = 100 for n = 1..4, c = r = 6, BP = 1 -> BLEU = 100.
        var score = new Bleu().CorpusScore(["the cat sat on the mat"], Refs(["the cat sat on the mat"]));
        Assert.Equal(100.0, score.Score, 10);
        Assert.Equal([100.0, 100.0, 100.0, 100.0], score.Precisions);
        Assert.Equal(1.0, score.BrevityPenalty);
        Assert.Equal("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", score.Signature);
    }

    [Fact]
    public void Brevity_penalty_for_a_short_hypothesis()
    {
        // hyp "the cat sat on the" (c = 5) is a prefix of the 6-token reference: all n-grams match,
        // p = 5/5, 4/4, 3/3, 2/2 = 100. BP = exp(1 - 6/5) = exp(-0.2) = 0.8187307531 -> BLEU 81.87.
        var score = new Bleu().CorpusScore(["the cat sat on the"], Refs(["the cat sat on the mat"]));
        Assert.Equal(81.87307530779819, score.Score, 9);
        Assert.Equal(0.8187307530779819, score.BrevityPenalty, 12);
        Assert.Equal(5, score.SysLen);
        Assert.Equal(6, score.RefLen);
        Assert.Equal("81.87", PythonFloatFormat.Fixed(score.Score, 2));
    }

    [Fact]
    public void Orders_without_matches_get_exp_smoothing()
    {
        // hyp "a b x d e" vs ref "a b c d e":
        //   1-grams: a b d e match, x not     -> 4/5 = 80
        //   2-grams: ab, de match; bx, xd not  -> 2/4 = 50
        //   3-grams: abx bxd xde               -> 0/3: first zero order, 100 / (2^1 * 3) = 16.667
        //   4-grams: abxd bxde                 -> 0/2: second zero order, 100 / (2^2 * 2) = 12.5
        // BP = 1; BLEU = (80 * 50 * 16.667 * 12.5)^(1/4) = 833333.33^(1/4) = 30.2138.
        var score = new Bleu().CorpusScore(["a b x d e"], Refs(["a b c d e"]));
        Assert.Equal(30.21375397356768, score.Score, 9);
        Assert.Equal(80.0, score.Precisions[0], 12);
        Assert.Equal(50.0, score.Precisions[1], 12);
        Assert.Equal(100.0 / 6, score.Precisions[2], 12);
        Assert.Equal(12.5, score.Precisions[3], 12);
        Assert.Equal([4, 2, 0, 0], score.Counts);
        Assert.Equal([5, 4, 3, 2], score.Totals);
    }

    [Fact]
    public void No_match_at_all_scores_zero_with_zero_precisions()
    {
        // Nothing matches: sacreBLEU returns 0 early and reports all precisions as 0 (no smoothing applied).
        var score = new Bleu().CorpusScore(["x y z w"], Refs(["a b c d"]));
        Assert.Equal(0.0, score.Score);
        Assert.Equal([0.0, 0.0, 0.0, 0.0], score.Precisions);
    }

    [Fact]
    public void Corpus_without_four_grams_scores_zero()
    {
        // hyp "a b c" has no 4-grams at all, so order 4 is not smoothed: p_4 = 0 -> ln 0 -> BLEU 0,
        // even though orders 1-3 match perfectly.
        var score = new Bleu().CorpusScore(["a b c"], Refs(["a b c d"]));
        Assert.Equal(0.0, score.Score);
        Assert.Equal([100.0, 100.0, 100.0, 0.0], score.Precisions);
    }

    [Fact]
    public void Sentence_bleu_uses_effective_order()
    {
        // Same pair as above, sentence level: the hypothesis has n-grams up to order 3, so the mean runs over
        // orders 1-3 (p = 100, 100, 100) and BLEU = BP = exp(1 - 4/3) = 0.7165 -> 71.65.
        var bleu = new Bleu();
        var score = bleu.SentenceScore("a b c", ["a b c d"]);
        Assert.Equal(71.65313105737893, score.Score, 9);
        Assert.Equal("nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0", score.Signature);

        // With a zero-match order inside the effective order: hyp "a b x d" vs ref "a b c d":
        //   p1 = 3/4 = 75, p2 = 1/3 (ab) = 33.33, p3 = 0/2 -> 100/(2*2) = 25, p4 = 0/1 -> 100/(4*1) = 25;
        //   BLEU = (75 * 33.33 * 25 * 25)^(1/4) = 1562500^(1/4) = sqrt(1250) = 35.3553.
        Assert.Equal(Math.Sqrt(1250), bleu.SentenceScore("a b x d", ["a b c d"]).Score, 9);
    }

    [Fact]
    public void Multiple_references_clip_by_the_maximum_count()
    {
        // hyp "the cat is on the mat"; ref1 "the cat sat on the mat" (6), ref2 "there is a cat on the mat" (7).
        // Closest reference length to 6 is 6 -> BP = 1.
        //   1-grams: the x2 (ref1 has 2), cat, is (only ref2), on, mat -> 6/6 = 100
        //   2-grams: "the cat" (ref1), "on the", "the mat" match; "cat is", "is on" not -> 3/5 = 60
        //   3-grams: only "on the mat" -> 1/4 = 25
        //   4-grams: none of 3 -> 100 / (2 * 3) = 16.667
        // BLEU = (100 * 60 * 25 * 16.667)^(1/4) = 2500000^(1/4) = 39.7635.
        // With ref1 alone "is" does not match: p1 = 5/6 -> BLEU = (83.33 * 60 * 25 * 16.667)^(1/4) = 37.9918.
        var bleu = new Bleu();
        var hyp = new[] { "the cat is on the mat" };
        var two = bleu.CorpusScore(hyp, Refs(["the cat sat on the mat"], ["there is a cat on the mat"]));
        var one = bleu.CorpusScore(hyp, Refs(["the cat sat on the mat"]));
        Assert.Equal(39.76353643835254, two.Score, 9);
        Assert.Equal(37.99178428257963, one.Score, 9);
        Assert.StartsWith("nrefs:2|", two.Signature);
    }

    [Fact]
    public void Closest_reference_length_ties_go_to_the_shorter()
    {
        // Hypothesis of 5 tokens, references of 4 and 6 tokens: both differ by 1, the shorter (4) is taken.
        var score = new Bleu().CorpusScore(["a b c d e"], Refs(["a b c d"], ["a b c d e f"]));
        Assert.Equal(4, score.RefLen);
        Assert.Equal(1.0, score.BrevityPenalty);
    }

    [Fact]
    public void Lowercase_uses_python_lower()
    {
        // Python: "İSTANBUL".lower() == "i̇stanbul" (i + U+0307). .NET's ToLowerInvariant gives "istanbul",
        // which would not match. One token, sentence BLEU with effective order 1 -> 100.
        var bleu = new Bleu(new BleuOptions(Lowercase: true));
        var score = bleu.SentenceScore("İSTANBUL", ["i\u0307stanbul"]);
        Assert.Equal(100.0, score.Score, 10);
        Assert.Contains("|case:lc|", score.Signature);
    }
}
