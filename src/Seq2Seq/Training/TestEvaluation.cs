using System.Diagnostics;
using System.Text.Json;
using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.IO;
using Seq2Seq.Models;
using Seq2Seq.Runs;

namespace Seq2Seq.Training;

/// <summary>Decodes the test set with the run's search settings, writes the hypotheses and the scores to the run directory.
/// As <c>translate</c>: sources longer than the model takes are cut (<see cref="LengthLimits"/>), and a source of no
/// tokens gives an empty hypothesis.</summary>
public static class TestEvaluation
{
    public static Dictionary<string, object> Run(Seq2SeqNetwork model, PreparedData data, RunConfig config, RunDirectory run, Action<string> log)
    {
        var d = config.Decoding;
        var sources = LengthLimits.Cut(data.Test.Select(p => data.SourceVocab.Encode(data.SourceTokenizer.Tokenize(p.Source))).ToList(),
            LengthLimits.Of(model, d).DecodedSource);
        var search = SearchOptions.From(d);
        var clock = Stopwatch.StartNew();
        var nonEmpty = Enumerable.Range(0, sources.Count).Where(i => sources[i].Length > 0).ToList();
        var decoded = CorpusDecoder.Decode(new TorchDecodingBackend(model), nonEmpty.Select(i => sources[i]).ToList(), search, d.BatchSize);
        var hyps = Enumerable.Repeat("", sources.Count).ToList();
        for (int j = 0; j < nonEmpty.Count; j++)
            hyps[nonEmpty[j]] = data.TargetTokenizer.Detokenize(data.TargetVocab.Decode(decoded[j][0].Tokens));
        double seconds = clock.Elapsed.TotalSeconds;
        AtomicFile.WriteAllText(run.TestHypotheses, string.Concat(hyps.Select(h => h + "\n")));
        AtomicFile.WriteAllText(run.TestReferences, string.Concat(data.Test.Select(p => p.Target + "\n")));
        AtomicFile.WriteAllText(run.TestSources, string.Concat(data.Test.Select(p => p.Source + "\n")));

        var q = QualityScores.Compute(d.Metric, data.Test, hyps, data.TargetTokenizer);
        var metrics = new Dictionary<string, object> { ["sentences"] = hyps.Count, ["beam_size"] = d.BeamSize,
            ["decode_sentences_per_s"] = Math.Round(hyps.Count / seconds, 1) };
        if (q.Bleu is double bleu)
        {
            metrics["bleu"] = Math.Round(bleu, 2);
            metrics["bleu_signature"] = q.Signature!;
            metrics["chrf"] = Math.Round(q.ChrF!.Value, 2);
            metrics["chrf_signature"] = q.ChrFSignature!;
            metrics["bleu_tokenized"] = Math.Round(q.TokenizedBleu!.Value, 2);
            log($"test (beam {d.BeamSize}): BLEU {bleu:F2} [{q.Signature}]  chrF {q.ChrF:F2}  tokenised BLEU {q.TokenizedBleu:F2}");
        }
        if (q.Wer is double wer)
        {
            metrics["wer"] = Math.Round(wer, 2);
            metrics["per"] = Math.Round(q.Per!.Value, 2);
            string stressless = "";
            if (q.WithoutStress is { } ns)
            {
                metrics["wer_no_stress"] = Math.Round(ns.Wer, 2);
                metrics["per_no_stress"] = Math.Round(ns.Per, 2);
                stressless = $"  (without stress: WER {ns.Wer:F2}%  PER {ns.Per:F2}%)";
            }
            log($"test (beam {d.BeamSize}): WER {wer:F2}%  PER {q.Per:F2}%{stressless}");
        }
        AtomicFile.WriteAllText(run.Results, JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
        return metrics;
    }
}
