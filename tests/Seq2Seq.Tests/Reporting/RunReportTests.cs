using Seq2Seq.Reporting;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Reporting;

public class RunReportTests
{
    [Fact]
    public void ReportHoldsOutcomeCurvesSamplesHeatmapsAndConfig()
    {
        using var task = new SyntheticTask(train: 300);
        var config = task.Config(6, c => c with { Training = c.Training with { ValidateEvery = 3, LogEvery = 2 } });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));

        string path = RunReport.Write(config.RunDir, samples: 4, heatmaps: 2);
        Assert.Equal(Path.Combine(config.RunDir, "report.md"), path);
        string md = File.ReadAllText(path);
        Assert.Contains("# Training report: synthetic", md);
        Assert.Contains("- stopped: max_steps 6 reached at step 6", md);
        Assert.Contains("| wer |", md);
        foreach (var image in new[] { "loss.png", "dev-metrics.png", "dev-metrics-by-time.png", "throughput.png", "attention-1.png", "attention-2.png" })
        {
            Assert.Contains($"](report/{image})", md);
            var bytes = File.ReadAllBytes(Path.Combine(config.RunDir, "report", image));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes.Take(4));
        }
        Assert.DoesNotContain("attention-3.png", md);

        // The sample table: 4 rows, each the test source, its reference and the model's output.
        var test = task.Pairs("test");
        var hyps = File.ReadAllLines(new RunDirectory(config.RunDir).TestHypotheses);
        for (int i = 0; i < 4; i++) Assert.Contains($"| {i + 1} | {test[i].Source} | {test[i].Target} | {hyps[i]} |", md);
        Assert.DoesNotContain("| 5 |", md);
        Assert.Contains("```yaml", md);
        Assert.Contains("name: synthetic", md);
    }

    [Fact]
    public void DevMetricsOverMinutesComeFromEachValidationsElapsedSeconds()
    {
        using var task = new SyntheticTask(train: 10);
        string log = Path.Combine(task.Dir, "train_log.jsonl");
        File.WriteAllLines(log,
        [
            """{"type":"train","step":10,"loss":3.0,"elapsed_s":30}""",
            """{"type":"validation","step":20,"dev_bleu":4.5,"elapsed_s":90}""",
            """{"type":"validation","step":40,"dev_bleu":7.25,"elapsed_s":210}""",
            """{"type":"validation","step":60,"dev_bleu":8.0}""",
        ]);
        var series = TrainingCurves.Read(log).ValidationOverMinutes("dev_bleu");
        Assert.Equal([1.5, 3.5], series.X);
        Assert.Equal([4.5, 7.25], series.Values);
    }

    [Fact]
    public void AFolderThatIsNotARunIsAClearError()
    {
        var dir = Directory.CreateTempSubdirectory("s2s-notrun-").FullName;
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => RunReport.Write(dir));
            Assert.Contains("not a run directory (no config.yaml)", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
