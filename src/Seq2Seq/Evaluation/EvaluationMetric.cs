namespace Seq2Seq.Evaluation;

/// <summary>A metric <c>s2s evaluate</c> can compute.</summary>
public enum EvaluationMetric
{
    /// <summary>Corpus BLEU (<c>bleu</c>).</summary>
    Bleu,
    /// <summary>chrF2 (<c>chrf</c>).</summary>
    ChrF,
    /// <summary>chrF2++ (<c>chrf++</c>).</summary>
    ChrFPlusPlus,
    /// <summary>TER (<c>ter</c>).</summary>
    Ter,
    /// <summary>Grapheme-to-phoneme word error rate (<c>wer</c>).</summary>
    Wer,
    /// <summary>Grapheme-to-phoneme phoneme error rate (<c>per</c>).</summary>
    Per,
}

/// <summary>Parses metric lists such as <c>bleu,chrf++,ter</c>.</summary>
public static class EvaluationMetrics
{
    /// <summary>The metrics used when none are named: BLEU and chrF.</summary>
    public static IReadOnlyList<EvaluationMetric> Default { get; } = [EvaluationMetric.Bleu, EvaluationMetric.ChrF];

    /// <summary>
    /// Parses names (case-insensitive), each entry possibly a comma-separated list, keeping the first occurrence of
    /// each; an empty input gives <see cref="Default"/>.
    /// </summary>
    /// <exception cref="EvaluationInputException">A name is unknown.</exception>
    public static IReadOnlyList<EvaluationMetric> Parse(IEnumerable<string> entries)
    {
        var result = new List<EvaluationMetric>();
        foreach (var entry in entries)
            foreach (var raw in entry.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var metric = raw.ToLowerInvariant() switch
                {
                    "bleu" => EvaluationMetric.Bleu,
                    "chrf" => EvaluationMetric.ChrF,
                    "chrf++" or "chrfpp" => EvaluationMetric.ChrFPlusPlus,
                    "ter" => EvaluationMetric.Ter,
                    "wer" => EvaluationMetric.Wer,
                    "per" => EvaluationMetric.Per,
                    _ => throw new EvaluationInputException(
                        $"unknown metric '{raw}' (expected bleu, chrf, chrf++, ter, wer or per)"),
                };
                if (!result.Contains(metric)) result.Add(metric);
            }
        return result.Count > 0 ? result : Default;
    }

    /// <summary>True for the grapheme-to-phoneme metrics, which read TSV pronunciation files.</summary>
    public static bool IsG2p(this EvaluationMetric metric) => metric is EvaluationMetric.Wer or EvaluationMetric.Per;
}
