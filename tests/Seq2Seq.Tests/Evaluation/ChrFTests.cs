using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// Expected values follow chrF's definition as sacreBLEU 2.6 computes it (Popović 2015/2017): per order, character
// n-gram precision P_n and recall R_n; average P and R over the orders where both hypothesis and reference have
// n-grams; chrF = (1 + β²)·P·R / (β²·P + R) with β = 2, times 100. Statistics are summed over the corpus first.
public class ChrFTests
{
    static IReadOnlyList<IReadOnlyList<string>> Refs(params string[][] streams) => streams;

    [Fact]
    public void Emoji_is_one_character()
    {
        // hyp "😀a" vs ref "😀b", counted in code points (2 each):
        //   order 1: hyp {😀, a}, ref {😀, b}, 1 match -> P = R = 1/2
        //   order 2: hyp {😀a}, ref {😀b}, 0 matches -> P = R = 0
        //   orders 3-6: no n-grams on either side -> not averaged
        // P = R = (0.5 + 0) / 2 = 0.25 -> F2 = 5 * 0.25 * 0.25 / (4 * 0.25 + 0.25) = 0.25 -> 25.
        // (Counting UTF-16 units would give 3 units a side and a different score.)
        var score = new ChrF().SentenceScore("😀a", ["😀b"]);
        Assert.Equal(25.0, score.Score, 10);
        Assert.Equal("chrF2", score.Name);
        Assert.Equal("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0", score.Signature);
    }

    [Fact]
    public void Character_above_U_FFFF_is_one_character()
    {
        // hyp "𠮷野" (U+20BB7, U+91CE) vs ref "𠮷野家":
        //   order 1: hyp 2, ref 3, 2 matches -> P = 1, R = 2/3
        //   order 2: hyp {𠮷野}, ref {𠮷野, 野家}, 1 match -> P = 1, R = 1/2
        //   order 3: hyp has none -> not averaged
        // P = 1, R = (2/3 + 1/2) / 2 = 7/12 -> F2 = 5 * 7/12 / (4 + 7/12) = 35/55 = 7/11 -> 63.6364.
        Assert.Equal(700.0 / 11, new ChrF().SentenceScore("𠮷野", ["𠮷野家"]).Score, 10);
    }

    [Fact]
    public void Corpus_chrf_sums_statistics_instead_of_averaging_sentences()
    {
        // The two sentences above, as a corpus. Per order [hyp, ref, match]:
        //   line 1: o1 [2,2,1], o2 [1,1,0], o3+ [0,0,0]
        //   line 2: o1 [2,3,2], o2 [1,2,1], o3 [0,1,0]
        //   sum:    o1 [4,5,3], o2 [2,3,1], o3 [0,1,0] (hyp 0 -> not averaged)
        // P = (3/4 + 1/2) / 2 = 0.625, R = (3/5 + 1/3) / 2 = 0.46667
        // F2 = 5 * 0.625 * 0.46667 / (4 * 0.625 + 0.46667) = 0.491573 -> 49.1573 (the mean of 25 and 63.64 would be 44.32).
        var score = new ChrF().CorpusScore(["😀a", "𠮷野"], Refs(["😀b", "𠮷野家"]));
        Assert.Equal(49.157303370786515, score.Score, 9);
    }

    [Fact]
    public void Whitespace_is_removed_as_python_split_defines_it()
    {
        // NBSP (U+00A0) and U+3000 are whitespace for str.split(), so both lines become "ab": chrF = 100.
        Assert.Equal(100.0, new ChrF().SentenceScore("a\u00A0b\u3000", ["ab"]).Score, 10);
        // U+200B (zero-width space) is not whitespace: "a\u200Bb" keeps three characters and is not 100.
        Assert.True(new ChrF().SentenceScore("a\u200Bb", ["ab"]).Score < 100.0);
    }

    [Fact]
    public void ChrF_plus_plus_adds_word_ngrams_with_punctuation_split()
    {
        // hyp "ab." vs ref "ab".
        //   char o1: hyp {a,b,.} 3, ref 2, 2 matches -> P = 2/3, R = 1
        //   char o2: hyp {ab, b.} 2, ref {ab} 1, 1 match -> P = 1/2, R = 1
        //   char o3: ref has no 3-gram -> hyp count zeroed, not averaged
        //   word o1: "ab." loses its trailing '.' -> hyp {ab, .}, ref {ab}, 1 match -> P = 1/2, R = 1
        //   word o2: hyp {"ab ."}, ref has no bigram -> not averaged
        // chrF++: P = (2/3 + 1/2 + 1/2) / 3 = 5/9, R = 1 -> F2 = 5 * 5/9 / (20/9 + 1) = 25/29 -> 86.2069.
        // chrF:   P = (2/3 + 1/2) / 2 = 7/12, R = 1 -> F2 = 5 * 7/12 / (28/12 + 1) = 35/40 -> 87.5.
        var plus = new ChrF(new ChrFOptions(WordOrder: 2)).SentenceScore("ab.", ["ab"]);
        Assert.Equal(2500.0 / 29, plus.Score, 10);
        Assert.Equal("chrF2++", plus.Name);
        Assert.Contains("|nw:2|", plus.Signature);
        Assert.Equal(87.5, new ChrF().SentenceScore("ab.", ["ab"]).Score, 10);
    }

    [Fact]
    public void Best_reference_is_chosen_per_sentence()
    {
        // The second reference equals the hypothesis: its statistics (F = 100) win over the first's.
        var score = new ChrF().CorpusScore(["ab"], Refs(["xy"], ["ab"]));
        Assert.Equal(100.0, score.Score, 10);
        Assert.StartsWith("nrefs:2|", score.Signature);
    }
}
