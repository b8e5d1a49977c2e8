using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// Empty and missing references as sacreBLEU 2.6 treats them (read from its source: metrics/base.py _cache_references,
// bleu.py, chrf.py, ter.py, lib_ter.py). An empty string is a reference of no words and counts as one: its length
// takes part in BLEU's closest-length choice, chrF scores it 0, TER counts every hypothesis word as an edit and adds
// 0 to the reference length. Only an undefined reference (None in Python, null here) is dropped; segments then have
// different numbers of references and the signature says nrefs:var; a segment with none left makes sacreBLEU fail
// (a TypeError in BLEU, an unpacking error in chrF, a division by zero in TER), here a clear ArgumentException.
public class EmptyReferenceTests
{
    static IReadOnlyList<IReadOnlyList<string?>> Refs(params string?[][] streams) => streams;

    [Fact]
    public void Bleu_counts_an_empty_reference_as_one_of_length_zero()
    {
        // hyp "a b c d e" (5 tokens), refs "a b c d e f g h i j" (10) and "" (0): both differ by 5 from the hypothesis,
        // the tie goes to the shorter, so r = 0 and BP = 1; every n-gram matches ref 1: p = 5/5, 4/4, 3/3, 2/2 -> 100.
        // (Were the empty one dropped, r = 10 and BLEU = BP = exp(1 - 10/5) = 36.79, nrefs:1.)
        var score = new Bleu().CorpusScore(["a b c d e"], Refs(["a b c d e f g h i j"], [""]));
        Assert.Equal(100.0, score.Score, 10);
        Assert.Equal(0, score.RefLen);
        Assert.StartsWith("nrefs:2|", score.Signature);
    }

    [Fact]
    public void ChrF_scores_an_empty_reference_zero_and_takes_the_better_one()
    {
        // Against "" alone: no reference n-grams, the hypothesis counts are zeroed, no order is averaged -> 0.
        Assert.Equal(0.0, new ChrF().SentenceScore("ab", [""]).Score);
        // Against "" and "ab": the second reference scores 100 and is taken.
        var score = new ChrF().CorpusScore(["ab"], Refs([""], ["ab"]));
        Assert.Equal(100.0, score.Score, 10);
        Assert.StartsWith("nrefs:2|", score.Signature);
    }

    [Fact]
    public void Ter_on_empty_references()
    {
        // Corpus: "a b" against "" = 2 edits over 0 words; "c d e" against "c d e" = 0 over 3 -> 2 / 3 = 66.67.
        var corpus = new Ter().CorpusScore(["a b", "c d e"], Refs(["", "c d e"]));
        Assert.Equal(200.0 / 3, corpus.Score, 10);
        Assert.Equal(3.0, corpus.ReferenceLength);
        // Two references "a b" (1 edit: insert c) and "" (3 edits): the fewest edits, 1, over the mean length
        // (2 + 0) / 2 = 1 -> 100.
        var two = new Ter().SentenceScore("a b c", ["a b", ""]);
        Assert.Equal(100.0, two.Score, 10);
        Assert.Equal(1.0, two.ReferenceLength);
        // All references empty: 100 with hypothesis words, 0 without (sacreBLEU's rule for a zero reference length).
        Assert.Equal(100.0, new Ter().CorpusScore(["a", "b c"], Refs(["", ""])).Score);
        Assert.Equal(0.0, new Ter().CorpusScore([""], Refs([""])).Score);
    }

    [Fact]
    public void Undefined_references_are_dropped_and_the_signature_says_var()
    {
        // Segment 1 has two references, segment 2 only the first (the second is undefined): scored as such.
        string[] hyps = ["a b c d e", "x y z w v"];
        var refs = Refs(["a b c d e", "x y z w v"], ["q", null]);
        var bleu = new Bleu().CorpusScore(hyps, refs);
        Assert.Equal(100.0, bleu.Score, 10);
        Assert.Equal(10, bleu.RefLen);
        Assert.StartsWith("nrefs:var|", bleu.Signature);
        Assert.StartsWith("nrefs:var|", new ChrF().CorpusScore(hyps, refs).Signature);
        var ter = new Ter().CorpusScore(hyps, refs);
        // Segment 1: 0 edits, mean length (5 + 1) / 2 = 3; segment 2: 0 edits, length 5.
        Assert.Equal(8.0, ter.ReferenceLength);
        Assert.StartsWith("nrefs:var|", ter.Signature);
        // The same number of defined references everywhere is not "var".
        Assert.StartsWith("nrefs:1|", new Bleu().CorpusScore(hyps, Refs(["a b c d e", null], [null, "x y z w v"])).Signature);
    }

    [Fact]
    public void A_segment_without_any_defined_reference_is_an_error()
    {
        string[] hyps = ["a b", "c d"];
        var refs = Refs(["a b", null], ["a", null]);
        foreach (var score in new Action[]
                 {
                     () => new Bleu().CorpusScore(hyps, refs), () => new ChrF().CorpusScore(hyps, refs),
                     () => new Ter().CorpusScore(hyps, refs),
                 })
            Assert.Contains("segment 2 has no reference", Assert.Throws<ArgumentException>(score).Message);
        Assert.Throws<ArgumentException>(() => new Bleu().SentenceScore("a", [null]));
        Assert.Throws<ArgumentException>(() => new Ter().SentenceScore("a", []));
    }

    [Fact]
    public void An_empty_line_in_a_reference_file_is_an_empty_reference()
    {
        // The command line reads lines, never undefined references: as `sacrebleu -r A B`.
        using var files = new TempFiles();
        var report = EvaluationRunner.Evaluate(new EvaluationOptions
        {
            Hypothesis = files.Write("hyp", "a b c d e\n"),
            References = [files.Write("a", "a b c d e f g h i j\n"), files.Write("b", "\n")],
            Metrics = ["bleu", "ter"],
        });
        Assert.Equal(100.0, report.Results[0].Bleu!.Score, 10);
        Assert.StartsWith("nrefs:2|", report.Results[0].Bleu!.Signature);
        // TER: 5 edits against either (5 words missing from A; 5 extra words against ""), over the mean length (10 + 0) / 2 = 5 -> 100.
        Assert.Equal(100.0, report.Results[0].Ter!.Score, 10);
    }
}
