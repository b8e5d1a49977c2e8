using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Seq2Seq.Evaluation;

/// <summary>
/// Renders an <see cref="EvaluationReport"/> as one JSON object. For a single hypothesis file the keys are those of
/// the metrics computed: <c>bleu</c>, <c>precisions</c> (4 values, percent), <c>bp</c>, <c>sys_len</c>,
/// <c>ref_len</c>, <c>chrf</c>, <c>chrf_plus_plus</c>, <c>ter</c>, <c>wer</c>, <c>per</c>, <c>sentence_bleu</c>
/// (one value per line), and <c>signature</c>, an object giving the sacreBLEU signature of each of those metrics by
/// the same key. Scores are on a 0–100 scale, unrounded. With <c>--pair</c> sets the object is
/// <c>{"pairs": [{"hyp": ..., "refs": [...], ...the keys above...}], "mean": {"bleu": ..., ...}}</c>.
/// </summary>
public static class JsonReportFormatter
{
    static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The report as a JSON object followed by a newline.</summary>
    public static string Format(EvaluationReport report)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            writer.WriteStartObject();
            if (report.IsPairs)
            {
                writer.WriteStartArray("pairs");
                foreach (var result in report.Results)
                {
                    writer.WriteStartObject();
                    writer.WriteString("hyp", result.Hypothesis);
                    writer.WriteStartArray("refs");
                    foreach (var reference in result.References) writer.WriteStringValue(reference);
                    writer.WriteEndArray();
                    WriteResult(writer, report.Metrics, result);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteStartObject("mean");
                foreach (var metric in report.Metrics) writer.WriteNumber(Key(metric), report.Mean(metric));
                writer.WriteEndObject();
            }
            else
            {
                WriteResult(writer, report.Metrics, report.Results[0]);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    static void WriteResult(Utf8JsonWriter writer, IReadOnlyList<EvaluationMetric> metrics, EvaluationResult result)
    {
        var signatures = new List<(string Key, string Signature)>();
        foreach (var metric in metrics)
        {
            switch (metric)
            {
                case EvaluationMetric.Bleu when result.Bleu is { } bleu:
                    writer.WriteNumber("bleu", bleu.Score);
                    writer.WriteStartArray("precisions");
                    foreach (var p in bleu.Precisions) writer.WriteNumberValue(p);
                    writer.WriteEndArray();
                    writer.WriteNumber("bp", bleu.BrevityPenalty);
                    writer.WriteNumber("sys_len", bleu.SysLen);
                    writer.WriteNumber("ref_len", bleu.RefLen);
                    signatures.Add(("bleu", bleu.Signature));
                    break;
                case EvaluationMetric.ChrF when result.ChrF is { } chrf:
                    writer.WriteNumber("chrf", chrf.Score);
                    signatures.Add(("chrf", chrf.Signature));
                    break;
                case EvaluationMetric.ChrFPlusPlus when result.ChrFPlusPlus is { } chrfpp:
                    writer.WriteNumber("chrf_plus_plus", chrfpp.Score);
                    signatures.Add(("chrf_plus_plus", chrfpp.Signature));
                    break;
                case EvaluationMetric.Ter when result.Ter is { } ter:
                    writer.WriteNumber("ter", ter.Score);
                    signatures.Add(("ter", ter.Signature));
                    break;
                case EvaluationMetric.Wer when result.G2p is { } g2p:
                    writer.WriteNumber("wer", g2p.Wer);
                    if (g2p.WithoutStress is { } ws) writer.WriteNumber("wer_no_stress", ws.Wer);
                    break;
                case EvaluationMetric.Per when result.G2p is { } g2p:
                    writer.WriteNumber("per", g2p.Per);
                    if (g2p.WithoutStress is { } ps) writer.WriteNumber("per_no_stress", ps.Per);
                    break;
            }
        }
        if (result.SentenceBleu is { } sentences)
        {
            writer.WriteStartArray("sentence_bleu");
            foreach (var s in sentences) writer.WriteNumberValue(s.Score);
            writer.WriteEndArray();
            if (sentences.Count > 0) signatures.Add(("sentence_bleu", sentences[0].Signature));
        }
        if (signatures.Count > 0)
        {
            writer.WriteStartObject("signature");
            foreach (var (key, signature) in signatures) writer.WriteString(key, signature);
            writer.WriteEndObject();
        }
    }

    static string Key(EvaluationMetric metric) => metric switch
    {
        EvaluationMetric.Bleu => "bleu",
        EvaluationMetric.ChrF => "chrf",
        EvaluationMetric.ChrFPlusPlus => "chrf_plus_plus",
        EvaluationMetric.Ter => "ter",
        EvaluationMetric.Wer => "wer",
        _ => "per",
    };
}
