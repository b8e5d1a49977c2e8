using System.Text;
using Seq2Seq.Text;

namespace Seq2Seq.Evaluation;

/// <summary>
/// Renders an <see cref="EvaluationReport"/> as text in sacreBLEU's layout, <c>NAME|signature = score</c>, scores
/// with two decimals (as Python formats them), BLEU followed by its precisions, brevity penalty and lengths.
/// </summary>
public static class TextReportFormatter
{
    /// <summary>The report as lines of text, ending with a newline.</summary>
    public static string Format(EvaluationReport report)
    {
        var sb = new StringBuilder();
        foreach (var result in report.Results)
        {
            if (report.IsPairs) sb.Append(result.Hypothesis).Append(" vs ").AppendJoin(", ", result.References).Append('\n');
            AppendResult(sb, report.Metrics, result);
        }
        if (report.IsPairs)
        {
            sb.Append("mean over ").Append(report.Results.Count).Append(report.Results.Count == 1 ? " pair:" : " pairs:");
            foreach (var metric in report.Metrics)
                sb.Append(' ').Append(DisplayName(metric)).Append(" = ").Append(PythonFloatFormat.Fixed(report.Mean(metric), 2));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    static void AppendResult(StringBuilder sb, IReadOnlyList<EvaluationMetric> metrics, EvaluationResult result)
    {
        foreach (var metric in metrics)
        {
            switch (metric)
            {
                case EvaluationMetric.Bleu when result.Bleu is { } bleu:
                    Line(sb, "BLEU", bleu.Signature, bleu.Score).Append(' ').Append(bleu.Details).Append('\n');
                    break;
                case EvaluationMetric.ChrF when result.ChrF is { } chrf:
                    Line(sb, chrf.Name, chrf.Signature, chrf.Score).Append('\n');
                    break;
                case EvaluationMetric.ChrFPlusPlus when result.ChrFPlusPlus is { } chrfpp:
                    Line(sb, chrfpp.Name, chrfpp.Signature, chrfpp.Score).Append('\n');
                    break;
                case EvaluationMetric.Ter when result.Ter is { } ter:
                    Line(sb, "TER", ter.Signature, ter.Score).Append('\n');
                    break;
                case EvaluationMetric.Wer when result.G2p is { } g2p:
                    sb.Append("WER = ").Append(PythonFloatFormat.Fixed(g2p.Wer, 2))
                        .Append($" ({g2p.WrongWords} of {g2p.Words} words wrong)")
                        .Append(g2p.WithoutStress is { } w ? $"; without stress {PythonFloatFormat.Fixed(w.Wer, 2)}\n" : "\n");
                    break;
                case EvaluationMetric.Per when result.G2p is { } g2p:
                    sb.Append("PER = ").Append(PythonFloatFormat.Fixed(g2p.Per, 2))
                        .Append($" ({g2p.PhonemeEdits} edits / {g2p.ReferencePhonemes} reference phonemes)")
                        .Append(g2p.WithoutStress is { } ps ? $"; without stress {PythonFloatFormat.Fixed(ps.Per, 2)}\n" : "\n");
                    break;
            }
        }
        if (result.SentenceBleu is { } sentences)
        {
            sb.Append("sentence BLEU|").Append(sentences.Count > 0 ? sentences[0].Signature : "").Append('\n');
            for (int i = 0; i < sentences.Count; i++)
                sb.Append(i + 1).Append('\t').Append(PythonFloatFormat.Fixed(sentences[i].Score, 2)).Append('\n');
        }
    }

    static StringBuilder Line(StringBuilder sb, string name, string signature, double score) =>
        sb.Append(name).Append('|').Append(signature).Append(" = ").Append(PythonFloatFormat.Fixed(score, 2));

    static string DisplayName(EvaluationMetric metric) => metric switch
    {
        EvaluationMetric.Bleu => "BLEU",
        EvaluationMetric.ChrF => "chrF2",
        EvaluationMetric.ChrFPlusPlus => "chrF2++",
        EvaluationMetric.Ter => "TER",
        EvaluationMetric.Wer => "WER",
        _ => "PER",
    };
}
