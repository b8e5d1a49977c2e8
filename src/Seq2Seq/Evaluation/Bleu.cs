namespace Seq2Seq.Evaluation;

/// <summary>
/// Corpus and sentence BLEU exactly as sacreBLEU 2.6 computes them: tokenize (after optional Python lowercasing),
/// count n-grams of orders 1–4 clipped by the maximum count over the references, take per segment the reference
/// length closest to the hypothesis length (ties to the shorter), sum over the corpus, then combine with the
/// brevity penalty. Corpus BLEU uses <c>exp</c> smoothing; sentence BLEU adds effective order.
/// </summary>
public sealed class Bleu
{
    /// <summary>The highest n-gram order.</summary>
    public const int MaxOrder = 4;

    readonly BleuTokenizer _tokenizer;
    readonly bool _lowercase;

    /// <summary>Creates a scorer with the given settings (sacreBLEU's defaults when null).</summary>
    /// <exception cref="EvaluationInputException">The tokenizer name is unknown.</exception>
    public Bleu(BleuOptions? options = null)
    {
        options ??= new BleuOptions();
        _tokenizer = BleuTokenizer.FromName(options.Tokenize);
        _lowercase = options.Lowercase;
    }

    /// <summary>
    /// Corpus BLEU. <paramref name="references"/> holds one stream per reference, each with one line per hypothesis
    /// (the shape of several reference files); a null entry is an undefined reference (see <see cref="ReferenceStreams"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A reference stream's length differs from the hypotheses', or a segment has
    /// no defined reference.</exception>
    public BleuScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> references)
    {
        ReferenceStreams.CheckAligned(hypotheses, references);

        var stats = new long[2 + 2 * MaxOrder];
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var segment = SegmentStatistics(hypotheses[i], ReferenceStreams.Segment(references, i));
            for (int k = 0; k < stats.Length; k++) stats[k] += segment[k];
        }
        return Compute(stats, effectiveOrder: false, ReferenceStreams.Count(references, hypotheses.Count));
    }

    /// <summary>Sentence BLEU of one hypothesis against its references, with effective order and <c>exp</c> smoothing.</summary>
    /// <exception cref="ArgumentException">No reference is defined (all null, or none given).</exception>
    public BleuScore SentenceScore(string hypothesis, IReadOnlyList<string?> references)
    {
        var refs = ReferenceStreams.Defined(references);
        var stats = SegmentStatistics(hypothesis, refs);
        return Compute(Array.ConvertAll(stats, x => (long)x), effectiveOrder: true, refs.Length);
    }

    /// <summary>The signature of scores from this scorer (<paramref name="referenceCount"/> -1: a variable number).</summary>
    public string Signature(int referenceCount, bool effectiveOrder) =>
        $"nrefs:{ReferenceStreams.Label(referenceCount)}|case:{(_lowercase ? "lc" : "mixed")}|eff:{(effectiveOrder ? "yes" : "no")}" +
        $"|tok:{_tokenizer.Name}|smooth:exp|version:{SacreBleuVersion.Matched}";

    /// <summary>The tokens BLEU counts for one line: lowercased if asked, right-stripped, tokenized, split.</summary>
    public IReadOnlyList<string> Tokens(string line)
    {
        if (_lowercase) line = Text.PythonText.Lower(line);
        return Text.PythonText.Split(_tokenizer.Tokenize(Text.PythonText.RStrip(line)));
    }

    // [hypLen, refLen, correct_1..4, total_1..4]
    int[] SegmentStatistics(string hypothesis, IReadOnlyList<string> references)
    {
        Dictionary<string, int>? refCounts = null;
        var refLens = new List<int>(references.Count);
        foreach (var reference in references)
        {
            var tokens = Tokens(reference);
            refLens.Add(tokens.Count);
            var counts = NGramCounts.AllWordNGrams(tokens, MaxOrder);
            if (refCounts is null) refCounts = counts;
            else
                foreach (var (ngram, count) in counts)
                    refCounts[ngram] = Math.Max(refCounts.GetValueOrDefault(ngram), count);
        }

        var hypTokens = Tokens(hypothesis);
        var stats = new int[2 + 2 * MaxOrder];
        stats[0] = hypTokens.Count;
        stats[1] = ClosestReferenceLength(hypTokens.Count, refLens);
        foreach (var (ngram, count) in NGramCounts.AllWordNGrams(hypTokens, MaxOrder))
        {
            int n = ngram.Count(c => c == ' ');
            stats[2 + MaxOrder + n] += count;
            if (refCounts!.TryGetValue(ngram, out int refCount)) stats[2 + n] += Math.Min(count, refCount);
        }
        return stats;
    }

    static int ClosestReferenceLength(int hypLen, List<int> refLens)
    {
        int bestDiff = -1, bestLen = -1;
        foreach (int len in refLens)
        {
            int diff = Math.Abs(hypLen - len);
            if (bestDiff == -1 || diff < bestDiff) { bestDiff = diff; bestLen = len; }
            else if (diff == bestDiff && len < bestLen) bestLen = len;
        }
        return bestLen;
    }

    BleuScore Compute(long[] stats, bool effectiveOrder, int referenceCount)
    {
        int sysLen = checked((int)stats[0]), refLen = checked((int)stats[1]);
        var correct = new int[MaxOrder];
        var total = new int[MaxOrder];
        for (int n = 0; n < MaxOrder; n++)
        {
            correct[n] = checked((int)stats[2 + n]);
            total[n] = checked((int)stats[2 + MaxOrder + n]);
        }
        var signature = Signature(referenceCount, effectiveOrder);

        double bp = sysLen < refLen ? (sysLen > 0 ? Math.Exp(1.0 - (double)refLen / sysLen) : 0.0) : 1.0;
        var precisions = new double[MaxOrder];
        if (correct.All(c => c == 0))
            return new BleuScore(0.0, precisions, bp, sysLen, refLen, correct, total, signature);

        // exp smoothing: the k-th order with no match gets precision 100 / (2^k * total). An order with no
        // hypothesis n-grams at all ends the loop: its precision stays 0, which makes BLEU 0 unless effective
        // order limits the mean to the orders seen so far.
        double smooth = 1.0;
        int order = MaxOrder;
        for (int n = 1; n <= MaxOrder; n++)
        {
            if (total[n - 1] == 0) break;
            if (effectiveOrder) order = n;
            if (correct[n - 1] == 0)
            {
                smooth *= 2;
                precisions[n - 1] = 100.0 / (smooth * total[n - 1]);
            }
            else precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
        }

        double logSum = 0.0;
        for (int n = 0; n < order; n++) logSum += precisions[n] == 0.0 ? -9999999999.0 : Math.Log(precisions[n]);
        double score = bp * Math.Exp(logSum / order);
        return new BleuScore(score, precisions, bp, sysLen, refLen, correct, total, signature);
    }
}
