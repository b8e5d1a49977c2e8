namespace Seq2Seq.Evaluation;

/// <summary>
/// Translation Edit Rate with sacreBLEU 2.6's default settings: case-insensitive (Python <c>str.lower()</c>),
/// tercom tokenization without normalization (the line is right-stripped and split on whitespace), punctuation
/// kept, no Asian-specific handling; shifts searched as <see href="https://github.com/mjpost/sacrebleu">sacreBLEU</see>
/// does. Per segment the reference with the fewest edits counts, against the mean reference length.
/// </summary>
public sealed class Ter
{
    /// <summary>The signature of TER scores for a number of references.</summary>
    public static string Signature(int referenceCount) =>
        $"nrefs:{ReferenceStreams.Label(referenceCount)}|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:{SacreBleuVersion.Matched}";

    /// <summary>Corpus TER; <paramref name="references"/> holds one stream per reference, each aligned with the
    /// hypotheses; a null entry is an undefined reference (see <see cref="ReferenceStreams"/>). An empty reference has
    /// no words: each hypothesis word is an edit, and the segment adds 0 to the reference length.</summary>
    /// <exception cref="ArgumentException">A reference stream's length differs from the hypotheses', or a segment has
    /// no defined reference.</exception>
    public TerScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> references)
    {
        ReferenceStreams.CheckAligned(hypotheses, references);

        double edits = 0, refLength = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var (segmentEdits, segmentLength) = SegmentStatistics(hypotheses[i], ReferenceStreams.Segment(references, i));
            edits += segmentEdits;
            refLength += segmentLength;
        }
        return Score(edits, refLength, ReferenceStreams.Count(references, hypotheses.Count));
    }

    /// <summary>TER of one hypothesis against its references.</summary>
    /// <exception cref="ArgumentException">No reference is defined (all null, or none given).</exception>
    public TerScore SentenceScore(string hypothesis, IReadOnlyList<string?> references)
    {
        var refs = ReferenceStreams.Defined(references);
        var (edits, refLength) = SegmentStatistics(hypothesis, refs);
        return Score(edits, refLength, refs.Length);
    }

    /// <summary>The tokens TER compares: the line right-stripped, lowercased and split on whitespace.</summary>
    public static IReadOnlyList<string> Tokens(string line) =>
        Text.PythonText.Split(Text.PythonText.Lower(Text.PythonText.RStrip(line)));

    static (int Edits, double ReferenceLength) SegmentStatistics(string hypothesis, IReadOnlyList<string> references)
    {
        var hypWords = Tokens(hypothesis);
        int best = int.MaxValue, lengths = 0;
        foreach (var reference in references)
        {
            var (edits, length) = TerEdits.Compute(hypWords, Tokens(reference));
            lengths += length;
            best = Math.Min(best, edits);
        }
        return (best, (double)lengths / references.Count);
    }

    static TerScore Score(double edits, double refLength, int referenceCount)
    {
        double rate = refLength > 0 ? edits / refLength : edits > 0 ? 1.0 : 0.0;
        return new TerScore(100 * rate, edits, refLength, Signature(referenceCount));
    }
}
