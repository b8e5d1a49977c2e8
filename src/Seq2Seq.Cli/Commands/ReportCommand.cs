using System.CommandLine;
using Seq2Seq.Reporting;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>s2s report RUN_DIR [--samples N] [--heatmaps N]</c>: writes RUN_DIR/report.md and its PNGs.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("run-dir") { Description = "Run directory of a training run (finished or not)" };
        var samples = new Option<int>("--samples") { Description = "Test sentences in the translation table", DefaultValueFactory = _ => 10 };
        var heatmaps = new Option<int>("--heatmaps") { Description = "Test sentences whose attention is drawn", DefaultValueFactory = _ => 2 };
        var command = new Command("report", "Write report.md with curves, test metrics, sample translations and attention heatmaps") { run, samples, heatmaps };
        command.SetAction(parse =>
        {
            if (parse.GetValue(samples) < 0 || parse.GetValue(heatmaps) < 0) throw new ArgumentException("--samples and --heatmaps must not be negative");
            string dir = parse.GetValue(run)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such run directory");
            string path = RunReport.Write(dir, parse.GetValue(samples), parse.GetValue(heatmaps), m => Console.Error.WriteLine($"warning: {m}"));
            Console.WriteLine(path);
            return CliErrors.Ok;
        });
        return command;
    }
}
