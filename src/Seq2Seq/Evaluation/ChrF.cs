namespace Seq2Seq.Evaluation;

/// <summary>
/// chrF and chrF++ as sacreBLEU 2.6 computes them. Whitespace (as Python's <c>str.split()</c> defines it) is
/// removed, then character n-grams of orders 1..<see cref="ChrFOptions.CharOrder"/> are counted over code points;
/// chrF++ adds word n-grams of orders 1..<see cref="ChrFOptions.WordOrder"/> over words with one trailing (else
/// leading) ASCII punctuation character split off. Per sentence the reference with the best sentence F-score (the
/// first on ties) supplies the statistics; these are summed over the corpus, precision and recall are averaged over
/// the orders that occur, and F-beta is taken of the averages.
/// </summary>
public sealed class ChrF
{
    const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    readonly ChrFOptions _options;

    /// <summary>Creates a scorer (chrF2 when <paramref name="options"/> is null).</summary>
    public ChrF(ChrFOptions? options = null)
    {
        _options = options ?? new ChrFOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.WordOrder);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.CharOrder, 1);
    }

    int Orders => _options.CharOrder + _options.WordOrder;

    /// <summary>sacreBLEU's name for the metric: <c>chrF2</c>, <c>chrF2++</c>.</summary>
    public string Name => $"chrF{_options.Beta}{new string('+', _options.WordOrder)}";

    /// <summary>The signature of scores from this scorer.</summary>
    public string Signature(int referenceCount) =>
        $"nrefs:{ReferenceStreams.Label(referenceCount)}|case:{(_options.Lowercase ? "lc" : "mixed")}|eff:yes|nc:{_options.CharOrder}" +
        $"|nw:{_options.WordOrder}|space:no|version:{SacreBleuVersion.Matched}";

    /// <summary>Corpus chrF; <paramref name="references"/> holds one stream per reference, each aligned with the
    /// hypotheses; a null entry is an undefined reference (see <see cref="ReferenceStreams"/>).</summary>
    /// <exception cref="ArgumentException">A reference stream's length differs from the hypotheses', or a segment has
    /// no defined reference.</exception>
    public ChrFScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> references)
    {
        ReferenceStreams.CheckAligned(hypotheses, references);

        var sums = new long[3 * Orders];
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var stats = SegmentStatistics(hypotheses[i], ReferenceStreams.Segment(references, i));
            for (int k = 0; k < sums.Length; k++) sums[k] += stats[k];
        }
        return new ChrFScore(FScore(sums), Name, Signature(ReferenceStreams.Count(references, hypotheses.Count)));
    }

    /// <summary>chrF of one hypothesis against its references.</summary>
    /// <exception cref="ArgumentException">No reference is defined (all null, or none given).</exception>
    public ChrFScore SentenceScore(string hypothesis, IReadOnlyList<string?> references)
    {
        var refs = ReferenceStreams.Defined(references);
        var stats = SegmentStatistics(hypothesis, refs);
        return new ChrFScore(FScore(Array.ConvertAll(stats, x => (long)x)), Name, Signature(refs.Length));
    }

    // Per order: [hypothesis n-grams, reference n-grams, matches], character orders first, then word orders.
    long[] SegmentStatistics(string hypothesis, IReadOnlyList<string> references)
    {
        var hypNGrams = NGrams(Preprocess(hypothesis));
        long[] best = [];
        double bestF = -1.0;
        foreach (var reference in references)
        {
            var refNGrams = NGrams(Preprocess(reference));
            var stats = new long[3 * Orders];
            for (int n = 0; n < Orders; n++)
            {
                long hypCount = 0, matches = 0;
                foreach (var (ngram, count) in hypNGrams[n])
                {
                    hypCount += count;
                    if (refNGrams[n].TryGetValue(ngram, out int refCount)) matches += Math.Min(count, refCount);
                }
                // A hypothesis n-gram count only counts where the reference has n-grams of that order.
                stats[3 * n] = refNGrams[n].Count > 0 ? hypCount : 0;
                stats[3 * n + 1] = refNGrams[n].Values.Sum();
                stats[3 * n + 2] = matches;
            }
            double f = FScore(stats);
            if (f > bestF) { bestF = f; best = stats; }
        }
        return best;
    }

    string Preprocess(string line) => _options.Lowercase ? Text.PythonText.Lower(line) : line;

    List<Dictionary<string, int>> NGrams(string line)
    {
        var result = new List<Dictionary<string, int>>(Orders);
        var squeezed = string.Concat(Text.PythonText.Split(line));
        var starts = NGramCounts.CodePointStarts(squeezed);
        for (int n = 1; n <= _options.CharOrder; n++) result.Add(NGramCounts.CharNGrams(squeezed, starts, n));
        if (_options.WordOrder > 0)
        {
            var words = WordsWithPunctuationSplit(line);
            for (int n = 1; n <= _options.WordOrder; n++) result.Add(NGramCounts.WordNGrams(words, n));
        }
        return result;
    }

    // chrF++'s word split: a word of more than one code point loses its last character if that is ASCII
    // punctuation, otherwise its first character if that is.
    static List<string> WordsWithPunctuationSplit(string line)
    {
        var words = new List<string>();
        foreach (var word in Text.PythonText.Split(line))
        {
            var starts = NGramCounts.CodePointStarts(word);
            if (starts.Length - 1 == 1) { words.Add(word); continue; }
            int lastStart = starts[^2];
            if (word.Length - lastStart == 1 && AsciiPunctuation.Contains(word[lastStart]))
            {
                words.Add(word[..lastStart]);
                words.Add(word[lastStart..]);
            }
            else if (AsciiPunctuation.Contains(word[0]))
            {
                words.Add(word[..1]);
                words.Add(word[1..]);
            }
            else words.Add(word);
        }
        return words;
    }

    double FScore(long[] stats)
    {
        const double eps = 1e-16;
        double factor = (double)_options.Beta * _options.Beta;
        double avgPrecision = 0.0, avgRecall = 0.0;
        int effectiveOrder = 0;
        for (int n = 0; n < Orders; n++)
        {
            long hyp = stats[3 * n], reference = stats[3 * n + 1], matches = stats[3 * n + 2];
            double precision = hyp > 0 ? (double)matches / hyp : eps;
            double recall = reference > 0 ? (double)matches / reference : eps;
            if (hyp > 0 && reference > 0)
            {
                avgPrecision += precision;
                avgRecall += recall;
                effectiveOrder++;
            }
        }
        if (effectiveOrder == 0) return 0.0;
        avgPrecision /= effectiveOrder;
        avgRecall /= effectiveOrder;
        if (avgPrecision + avgRecall == 0.0) return 0.0;
        double score = (1 + factor) * avgPrecision * avgRecall;
        score /= factor * avgPrecision + avgRecall;
        return 100 * score;
    }
}
