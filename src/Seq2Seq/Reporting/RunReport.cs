using System.Globalization;
using System.Text;
using System.Text.Json;
using Seq2Seq.Configuration;
using Seq2Seq.Decoding;
using Seq2Seq.IO;
using Seq2Seq.Runs;

namespace Seq2Seq.Reporting;

/// <summary>
/// <c>s2s report RUN_DIR</c>: writes <c>RUN_DIR/report.md</c> and its PNGs (in <c>RUN_DIR/report/</c>): the outcome and
/// test metrics with their signatures, loss / dev-metric / throughput curves, sample translations beside their
/// references, attention heatmaps of the first test sentences, and the configuration.
/// </summary>
public static class RunReport
{
    /// <param name="samples">Test sentences shown in the translation table.</param>
    /// <param name="heatmaps">Test sentences whose attention is drawn (needs a loadable checkpoint).</param>
    /// <returns>The path of report.md.</returns>
    public static string Write(string runDir, int samples = 10, int heatmaps = 2, Action<string>? warn = null)
    {
        warn ??= _ => { };
        var run = new RunDirectory(runDir);
        if (!File.Exists(run.Config)) throw new FileNotFoundException($"{runDir}: not a run directory (no config.yaml)", run.Config);
        if (!File.Exists(run.Log)) throw new FileNotFoundException($"{runDir}: no train_log.jsonl: has this run started?", run.Log);
        string imageDir = Path.Combine(runDir, "report");
        Directory.CreateDirectory(imageDir);
        var config = Configuration.ConfigLoader.Load(run.Config);
        var curves = TrainingCurves.Read(run.Log);
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;

        md.AppendLine($"# Training report: {config.Name}").AppendLine();
        md.AppendLine($"Run directory `{runDir}`, report written {DateTime.Now.ToString("yyyy-MM-dd HH:mm", inv)} by `s2s report`.").AppendLine();

        // 1. Outcome and test metrics.
        md.AppendLine("## Outcome").AppendLine();
        if (curves.Result is JsonElement r)
        {
            md.AppendLine($"- stopped: {Text(r, "stop_reason")} at step {Text(r, "step")}; best checkpoint at step {Text(r, "best_step")} " +
                $"({config.Training.BestMetric} {Number(r, "best_score")})");
        }
        else md.AppendLine("- training has not finished (no result entry in train_log.jsonl); curves show the steps so far");
        if (curves.LastValidation is JsonElement v)
            md.AppendLine($"- last validation (step {Text(v, "step")}" +
                (v.TryGetProperty("scheduled", out var sc) && sc.ValueKind == JsonValueKind.False ? ", out of schedule: a stop between validations" : "") +
                $"): dev loss {Number(v, "dev_loss")}, perplexity {Number(v, "dev_ppl")}" +
                (v.TryGetProperty("dev_bleu", out var b) && b.ValueKind == JsonValueKind.Number ? $", BLEU {Number(v, "dev_bleu")}, chrF {Number(v, "dev_chrf")}" : "") +
                (v.TryGetProperty("dev_wer", out var w) && w.ValueKind == JsonValueKind.Number ? $", WER {Number(v, "dev_wer")} %, PER {Number(v, "dev_per")} %" : ""));
        md.AppendLine();
        if (File.Exists(run.Results))
        {
            using var results = JsonDocument.Parse(File.ReadAllText(run.Results));
            md.AppendLine("| test metric | value |").AppendLine("|---|---|");
            foreach (var p in results.RootElement.EnumerateObject())
                md.AppendLine($"| {p.Name} | {Cell(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())} |");
            md.AppendLine();
        }

        // 2. Curves.
        md.AppendLine("## Curves").AppendLine();
        var loss = curves.Train("loss");
        var devLoss = curves.Validation("dev_loss");
        if (loss.X.Length + devLoss.X.Length > 0)
            md.AppendLine(Image(Plots.Lines(Path.Combine(imageDir, "loss.png"), "Loss", "step", "cross-entropy per token",
                [loss with { Name = "train (label-smoothed)" }, devLoss with { Name = "dev" }]), runDir, "loss curves"));
        (string Field, string Name)[] metrics = [("dev_bleu", "dev BLEU"), ("dev_chrf", "dev chrF"), ("dev_wer", "dev WER %"), ("dev_per", "dev PER %")];
        var quality = metrics.Select(m => curves.Validation(m.Field) with { Name = m.Name }).Where(s => s.X.Length > 0).ToList();
        if (quality.Count > 0)
            md.AppendLine(Image(Plots.Lines(Path.Combine(imageDir, "dev-metrics.png"), "Dev metrics (greedy)", "step", "score", quality), runDir, "dev metrics"));
        // The same over minutes of training: what another hour would buy (dev perplexity when there are no metrics).
        var byTime = metrics.Select(m => curves.ValidationOverMinutes(m.Field) with { Name = m.Name }).Where(s => s.X.Length > 0).ToList();
        if (byTime.Count == 0) byTime = [curves.ValidationOverMinutes("dev_ppl") with { Name = "dev perplexity" }];
        if (byTime[0].X.Length > 0)
            md.AppendLine(Image(Plots.Lines(Path.Combine(imageDir, "dev-metrics-by-time.png"), "Dev quality over training time (greedy)",
                "minutes of training (validation included)", "score", byTime), runDir, "dev metrics over training time"));
        var rate = curves.Train("tokens_per_s");
        if (rate.X.Length > 0)
            md.AppendLine(Image(Plots.Lines(Path.Combine(imageDir, "throughput.png"), "Training throughput", "step", "target tokens/s",
                [rate with { Name = "tokens/s" }]), runDir, "throughput"));
        var gate = curves.Validation("dev_mean_gate");
        if (gate.X.Length > 0)
            md.AppendLine(Image(Plots.Lines(Path.Combine(imageDir, "hybrid-gate.png"), "Hybrid attention gate (1 = global, 0 = local)", "step", "mean gate",
                [gate with { Name = "mean gate on dev" }]), runDir, "hybrid gate"));
        md.AppendLine();

        // 3. Sample translations.
        var hyps = File.Exists(run.TestHypotheses) ? File.ReadAllLines(run.TestHypotheses) : [];
        var refs = File.Exists(run.TestReferences) ? File.ReadAllLines(run.TestReferences) : [];
        var srcs = File.Exists(run.TestSources) ? File.ReadAllLines(run.TestSources) : [];
        if (hyps.Length > 0)
        {
            md.AppendLine($"## Sample translations (test set, beam {config.Decoding.BeamSize})").AppendLine();
            md.AppendLine("| # | source | reference | output |").AppendLine("|---|---|---|---|");
            for (int i = 0; i < Math.Min(samples, hyps.Length); i++)
                md.AppendLine($"| {i + 1} | {Cell(srcs.ElementAtOrDefault(i) ?? "")} | {Cell(refs.ElementAtOrDefault(i) ?? "")} | {Cell(hyps[i])} |");
            md.AppendLine();
        }

        // 4. Attention of the first test sentences.
        if (heatmaps > 0 && srcs.Length > 0 && (config.Model.Type == ModelTypes.Transformer || config.Model.Decoder.Attention != AttentionScores.None))
        {
            try
            {
                using var model = Seq2SeqModel.Load(runDir, warn: warn);
                var translations = model.Translate(srcs.Take(heatmaps).ToList(), attention: true);
                md.AppendLine($"## Attention (checkpoint `{Path.GetFileName(model.Checkpoint)}`)").AppendLine();
                for (int i = 0; i < translations.Count; i++)
                {
                    AttentionHeatmap.Write(translations[i], imageDir, $"attention-{i + 1}");
                    md.AppendLine($"Test sentence {i + 1}: {Cell(translations[i].Source)} → {Cell(translations[i].Text)}").AppendLine();
                    md.AppendLine(Image(Path.Combine(imageDir, $"attention-{i + 1}.png"), runDir, $"attention of test sentence {i + 1}")).AppendLine();
                }
            }
            catch (FileNotFoundException e) { warn($"no attention heatmaps: {e.Message}"); }
        }

        // 5. Configuration.
        md.AppendLine("## Configuration").AppendLine().AppendLine("```yaml").Append(File.ReadAllText(run.Config).TrimEnd()).AppendLine().AppendLine("```");

        string path = Path.Combine(runDir, "report.md");
        AtomicFile.WriteAllText(path, md.ToString());
        return path;
    }

    static string Image(string file, string runDir, string alt) => $"![{alt}]({Path.GetRelativePath(runDir, file).Replace('\\', '/')})";

    static string Text(JsonElement e, string field) =>
        e.TryGetProperty(field, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText() : "–";

    static string Number(JsonElement e, string field) =>
        e.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble().ToString("0.####", CultureInfo.InvariantCulture) : "–";

    /// <summary>Text made safe for a Markdown table cell.</summary>
    static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
