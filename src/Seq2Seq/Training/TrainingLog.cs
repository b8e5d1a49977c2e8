using System.Text.Json;
using Seq2Seq.IO;
using Seq2Seq.Runs;

namespace Seq2Seq.Training;

/// <summary>The machine-readable training log: one JSON object per line (<c>train_log.jsonl</c>), flushed per line.</summary>
public sealed class TrainingLog : IDisposable
{
    readonly StreamWriter writer;

    /// <summary>Opens the log for appending; on resume, entries after <paramref name="resumeStep"/> are dropped first,
    /// so that steps redone after a crash are not counted twice.</summary>
    public TrainingLog(string path, int? resumeStep)
    {
        if (resumeStep is int step && File.Exists(path))
        {
            var kept = File.ReadLines(path).Where(line => StepOf(line) is not int s || s <= step);
            AtomicFile.WriteAllText(path, string.Concat(kept.Select(l => l + "\n")));
        }
        writer = new StreamWriter(path, append: resumeStep is not null) { AutoFlush = true };
    }

    public void Write(object entry) => writer.WriteLine(JsonSerializer.Serialize(entry, Checkpoint.Json));

    public void Dispose() => writer.Dispose();

    static int? StepOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("step", out var s) && s.TryGetInt32(out int v) ? v : null;
        }
        catch (JsonException) { return int.MaxValue; } // a torn last line from a crash: drop it
    }
}
