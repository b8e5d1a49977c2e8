using Seq2Seq.Configuration;

namespace Seq2Seq.Tests;

/// <summary>Writes small synthetic parallel corpora (copy or reverse a random symbol sequence) and configs for them.</summary>
public sealed class SyntheticTask : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("s2s-task-").FullName;

    /// <summary>Writes train/dev/test TSVs; target = source reversed (or copied).</summary>
    public SyntheticTask(bool reverse = true, int vocab = 12, int minLen = 3, int maxLen = 8, int train = 3000, int dev = 200, int seed = 7)
    {
        var rng = new Random(seed);
        foreach (var (name, n) in new[] { ("train", train), ("dev", dev), ("test", dev) })
        {
            var lines = new List<string>();
            for (int i = 0; i < n; i++)
            {
                var s = Enumerable.Range(0, rng.Next(minLen, maxLen + 1)).Select(_ => $"w{rng.Next(vocab)}").ToArray();
                var t = reverse ? s.Reverse().ToArray() : s;
                lines.Add(string.Join(' ', s) + "\t" + string.Join(' ', t));
            }
            File.WriteAllLines(Path.Combine(Dir, name + ".tsv"), lines);
        }
    }

    /// <summary>A small, fast model config for this task; <paramref name="tweak"/> adjusts it.</summary>
    public RunConfig Config(int maxSteps, Func<RunConfig, RunConfig>? tweak = null, string runName = "run")
    {
        var config = new RunConfig
        {
            Name = "synthetic",
            RunDir = Path.Combine(Dir, runName),
            Data = new DataConfig
            {
                Train = Path.Combine(Dir, "train.tsv"), Dev = Path.Combine(Dir, "dev.tsv"), Test = Path.Combine(Dir, "test.tsv"),
                SourceTokenizer = "space", TargetTokenizer = "space", MinFrequency = 1,
            },
            Model = new ModelConfig
            {
                EmbeddingSize = 32, Dropout = 0.0,
                Encoder = new EncoderConfig { HiddenSize = 64, Layers = 1 },
                Decoder = new DecoderConfig { HiddenSize = 64, Layers = 1 },
            },
            Training = new TrainingConfig
            {
                BatchTokens = 512, LearningRate = 3e-3, LabelSmoothing = 0.0, MaxSteps = maxSteps, ValidateEvery = Math.Max(1, maxSteps),
                Threads = 2, LogEvery = 1000, Seed = 1,
            },
            Decoding = new DecodingConfig { BeamSize = 1, Metric = "wer" },
        };
        return tweak is null ? config : tweak(config);
    }

    public IReadOnlyList<(string Source, string Target)> Pairs(string split) =>
        File.ReadLines(Path.Combine(Dir, split + ".tsv")).Select(l => l.Split('\t')).Select(c => (c[0], c[1])).ToList();

    /// <summary>Share of the test pairs the trained run in <paramref name="runDir"/> translates exactly (greedy).</summary>
    public double GreedyExactMatch(string runDir)
    {
        using var model = Seq2SeqModel.Load(runDir);
        var test = Pairs("test");
        var outputs = model.Translate(test.Select(p => p.Source).ToList(), beam: 1);
        return outputs.Zip(test).Count(x => x.First.Text == x.Second.Target) / (double)test.Count;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
