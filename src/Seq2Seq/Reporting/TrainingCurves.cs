using System.Text.Json;

namespace Seq2Seq.Reporting;

/// <summary>The series of a run's <c>train_log.jsonl</c>: training entries and validations, by step.</summary>
public sealed class TrainingCurves
{
    /// <summary>One numeric field of the log over <paramref name="X"/> (steps, or minutes of training).</summary>
    public sealed record Series(string Name, double[] X, double[] Values);

    readonly List<JsonElement> train = [], validations = [];

    /// <summary>The log's final "result" entry, when training finished.</summary>
    public JsonElement? Result { get; private set; }

    /// <summary>Reads the log; a torn last line (a crash mid-write) is passed over.</summary>
    public static TrainingCurves Read(string path)
    {
        var curves = new TrainingCurves();
        foreach (var line in File.ReadLines(path))
        {
            JsonElement e;
            try { e = JsonDocument.Parse(line).RootElement.Clone(); }
            catch (JsonException) { continue; }
            switch (e.TryGetProperty("type", out var t) ? t.GetString() : null)
            {
                case "train": curves.train.Add(e); break;
                case "validation": curves.validations.Add(e); break;
                case "result": curves.Result = e; break;
            }
        }
        return curves;
    }

    public int TrainEntries => train.Count;
    public int Validations => validations.Count;

    /// <summary>A field of the training entries (loss, lr, tokens_per_s, elapsed_s) by step.</summary>
    public Series Train(string field) => Collect(train, field);

    /// <summary>A field of the validation entries (dev_loss, dev_ppl, dev_bleu, dev_chrf, dev_wer, dev_per, dev_mean_gate) by step.</summary>
    public Series Validation(string field) => Collect(validations, field);

    /// <summary>A field of the validation entries over training wall-clock minutes (validation included, summed over
    /// resumed runs): what another hour of training buys.</summary>
    public Series ValidationOverMinutes(string field) => Collect(validations, field, "elapsed_s", 1 / 60.0);

    /// <summary>The last validation entry (the one closest to the final model).</summary>
    public JsonElement? LastValidation => validations.Count > 0 ? validations[^1] : null;

    static Series Collect(List<JsonElement> entries, string field, string x = "step", double xScale = 1)
    {
        var points = entries
            .Where(e => e.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number
                        && e.TryGetProperty(x, out var at) && at.ValueKind == JsonValueKind.Number)
            .Select(e => (X: e.GetProperty(x).GetDouble() * xScale, Value: e.GetProperty(field).GetDouble()))
            .ToList();
        return new Series(field, points.Select(p => p.X).ToArray(), points.Select(p => p.Value).ToArray());
    }
}
