using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Models;
using Seq2Seq.Reporting;
using Seq2Seq.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// The scaling curves of <c>s2s profile --scaling DIR</c>: training target tokens/s against the batch size and against
/// the sentence length (the config's model and data), and, given a trained model, decoding sentences/s against the
/// beam size. Writes <c>scaling.json</c> and one PNG per curve into DIR and prints a Markdown table.
/// </summary>
public static class ScalingCurves
{
    public sealed record Point(string Curve, double X, double Value, string Unit);

    static readonly int[] BatchSizes = [1024, 2048, 4096, 8192];
    static readonly (int Min, int Max)[] LengthBins = [(1, 10), (11, 20), (21, 40), (41, 80), (81, 200)];
    static readonly int[] Beams = [1, 2, 4, 5, 8, 12];

    public static int Run(RunConfig config, PreparedData data, string outDir, string? modelDir, string? input, int steps)
    {
        var t = config.Training;
        var points = new List<Point>();
        torch.manual_seed(t.Seed);
        using (var model = ModelBuilder.Build(config.Model, data.SourceVocab.Count, data.TargetVocab.Count))
        {
            var parameters = model.parameters().ToList();
            using var optimizer = optim.Adam(parameters, t.LearningRate);
            model.train();
            foreach (int size in BatchSizes)
            {
                var batches = BatchPlanner.TrainingBatches(data.Train.Sources, data.Train.Targets, size, t.Seed, 0);
                points.Add(new("tokens/s vs batch size", size, TrainingRate(model, optimizer, parameters, data.Train, batches, steps, t), "target tokens/s"));
                Console.Error.WriteLine($"batch {size}: {points[^1].Value:F0} tokens/s");
            }
            foreach (var (min, max) in LengthBins)
            {
                var subset = Enumerable.Range(0, data.Train.Count).Where(i => data.Train.Targets[i].Length >= min && data.Train.Targets[i].Length <= max).ToList();
                if (subset.Count < 10) continue;
                var batches = BatchPlanner.TrainingBatches(subset.Select(i => data.Train.Sources[i]).ToList(),
                    subset.Select(i => data.Train.Targets[i]).ToList(), t.BatchTokens, t.Seed, 0)
                    .Select(b => b.Select(j => subset[j]).ToArray()).ToList();
                double mid = (min + Math.Min(max, subset.Max(i => data.Train.Targets[i].Length))) / 2.0;
                points.Add(new("tokens/s vs target length", mid, TrainingRate(model, optimizer, parameters, data.Train, batches, steps, t), "target tokens/s"));
                Console.Error.WriteLine($"target length {min}-{max}: {points[^1].Value:F0} tokens/s");
            }
        }
        if (modelDir is not null)
        {
            if (input is null) throw new ArgumentException("--scaling with --model needs --input (source sentences to translate)");
            using var m = Seq2SeqModel.Load(modelDir, threads: t.Threads);
            var lines = File.ReadAllLines(input).Where(l => l.Trim().Length > 0).ToList();
            m.Translate(lines.Take(16).ToList(), beam: 5);                       // warm-up
            foreach (int k in Beams)
            {
                var clock = Stopwatch.StartNew();
                m.Translate(lines, beam: k);
                points.Add(new("sentences/s vs beam size", k, lines.Count / clock.Elapsed.TotalSeconds, "sentences/s"));
                Console.Error.WriteLine($"beam {k}: {points[^1].Value:F1} sentences/s");
            }
        }

        Directory.CreateDirectory(outDir);
        IO.AtomicFile.WriteAllText(Path.Combine(outDir, "scaling.json"), JsonSerializer.Serialize(new
        {
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            threads = torch.get_num_threads(),
            steps_per_point = steps,
            points = points.Select(p => new { curve = p.Curve, x = p.X, value = Math.Round(p.Value, 1), unit = p.Unit }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        foreach (var curve in points.GroupBy(p => p.Curve))
        {
            string file = Path.Combine(outDir, "scaling-" + curve.Key.Split(" vs ")[1].Replace(' ', '-') + ".png");
            string xLabel = curve.Key.Split(" vs ")[1] switch
            {
                "batch size" => "Batch size (target tokens per batch)",
                "target length" => "Target length (tokens, middle of the bin)",
                var other => Capitalise(other),
            };
            Plots.Lines(file, curve.Key, xLabel, curve.First().Unit,
                [new TrainingCurves.Series(curve.Key, curve.Select(p => p.X).ToArray(), curve.Select(p => p.Value).ToArray())]);
        }
        Console.WriteLine("| curve | x | value |");
        Console.WriteLine("|---|---|---|");
        foreach (var p in points)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {p.Curve} | {p.X:0.#} | {p.Value:N1} {p.Unit} |"));
        return CliErrors.Ok;
    }

    static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    // Full training steps (forward, backward, clipping, Adam) on the given batches: 2 warm-up steps, then `steps` timed.
    static double TrainingRate(Seq2SeqNetwork model, optim.Optimizer optimizer, IList<TorchSharp.Modules.Parameter> parameters, EncodedCorpus corpus,
        List<int[]> batches, int steps, TrainingConfig t)
    {
        long tokens = 0;
        double seconds = 0;
        for (int s = 0; s < steps + 2; s++)
        {
            var clock = Stopwatch.StartNew();
            using var scope = NewDisposeScope();
            var batch = Batch.Create(corpus.Sources, corpus.Targets, batches[s % batches.Count], model.Device);
            optimizer.zero_grad();
            var logits = model.TokenLogits(batch.Source, batch.SourceLengths, batch.TargetIn!, batch.TargetOut!); // [tokens, V]
            var loss = TokenLoss.Sum(logits, batch.TargetOut!, t.LabelSmoothing) / batch.TargetTokens;
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, t.ClipNorm);
            optimizer.step();
            loss.item<float>();
            if (s < 2) continue;
            seconds += clock.Elapsed.TotalSeconds;
            tokens += batch.TargetTokens;
        }
        return tokens / seconds;
    }
}
