namespace Seq2Seq.Evaluation;

/// <summary>The scores of one hypothesis file against its references; a score is null when it was not asked for.</summary>
/// <param name="Hypothesis">The hypothesis file.</param>
/// <param name="References">The reference files.</param>
public sealed record EvaluationResult(string Hypothesis, IReadOnlyList<string> References)
{
    /// <summary>Corpus BLEU.</summary>
    public BleuScore? Bleu { get; init; }

    /// <summary>chrF2.</summary>
    public ChrFScore? ChrF { get; init; }

    /// <summary>chrF2++.</summary>
    public ChrFScore? ChrFPlusPlus { get; init; }

    /// <summary>TER.</summary>
    public TerScore? Ter { get; init; }

    /// <summary>Grapheme-to-phoneme WER and PER (both are computed when either is asked for).</summary>
    public G2pScore? G2p { get; init; }

    /// <summary>Sentence BLEU, one per hypothesis line.</summary>
    public IReadOnlyList<BleuScore>? SentenceBleu { get; init; }

    /// <summary>The headline number of a metric (WER and PER from <see cref="G2p"/>), or null if it was not computed.</summary>
    public double? ScoreOf(EvaluationMetric metric) => metric switch
    {
        EvaluationMetric.Bleu => Bleu?.Score,
        EvaluationMetric.ChrF => ChrF?.Score,
        EvaluationMetric.ChrFPlusPlus => ChrFPlusPlus?.Score,
        EvaluationMetric.Ter => Ter?.Score,
        EvaluationMetric.Wer => G2p?.Wer,
        EvaluationMetric.Per => G2p?.Per,
        _ => null,
    };
}

/// <summary>Everything one <c>s2s evaluate</c> run computed.</summary>
/// <param name="Metrics">The metrics asked for, in the order asked.</param>
/// <param name="Results">One result per hypothesis file: one for <c>--hyp</c>, one per <c>--pair</c>.</param>
/// <param name="IsPairs">True when the results come from <c>--pair</c> sets, whose means are reported too.</param>
public sealed record EvaluationReport(
    IReadOnlyList<EvaluationMetric> Metrics, IReadOnlyList<EvaluationResult> Results, bool IsPairs)
{
    /// <summary>The mean of a metric's headline number over the results.</summary>
    public double Mean(EvaluationMetric metric) => Results.Average(r => r.ScoreOf(metric) ?? 0.0);
}
