using System.CommandLine;
using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Models;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>s2s average --model RUN_DIR [--last N | --checkpoints A B ...] [--output FILE]</c>: writes the mean of several
/// checkpoints' weights (default: the newest five step checkpoints, to <c>RUN_DIR/checkpoints/averaged.ckpt</c>);
/// use it with <c>translate --checkpoint</c>, <c>score</c>, <c>serve</c> or <c>export</c>.
/// </summary>
public static class AverageCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run directory of a trained model", Required = true };
        var last = new Option<int>("--last") { Description = "Average the newest N step checkpoints (keep at least N with training.keep_checkpoints)", DefaultValueFactory = _ => 5 };
        var checkpoints = new Option<string[]>("--checkpoints") { Description = "Average these checkpoint files instead", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--output") { Description = "The averaged checkpoint (default: RUN_DIR/checkpoints/averaged.ckpt)" };
        var command = new Command("average", "Average the weights of a run's last checkpoints (fairseq's average_checkpoints)") { model, last, checkpoints, output };
        command.SetAction(parse =>
        {
            var run = new RunDirectory(parse.GetValue(model)!);
            if (!File.Exists(run.Config)) throw new FileNotFoundException($"{run.Path}: not a run directory (no config.yaml)", run.Config);
            var paths = parse.GetValue(checkpoints) is { Length: > 0 } given ? given : NewestSteps(run, parse.GetValue(last));
            var config = ConfigLoader.Load(run.Config);
            using var network = ModelBuilder.Build(config.Model, Vocabulary.Load(run.SourceVocab).Count, Vocabulary.Load(run.TargetVocab).Count);
            string target = parse.GetValue(output) ?? Path.Combine(run.CheckpointDir, "averaged.ckpt");
            var progress = CheckpointAverage.Write(paths, network, target);
            Console.WriteLine($"{target}: mean of {paths.Length} checkpoints ({string.Join(", ", paths.Select(Path.GetFileName))}), newest at step {progress.Step}");
            return CliErrors.Ok;
        });
        return command;
    }

    static string[] NewestSteps(RunDirectory run, int count)
    {
        if (count < 1) throw new ArgumentException("--last must be at least 1");
        var steps = run.StepCheckpoints();
        if (steps.Count < count)
            throw new ArgumentException($"{run.CheckpointDir}: {steps.Count} step checkpoints, fewer than --last {count} " +
                "(training.keep_checkpoints sets how many a run keeps)");
        return steps.Take(count).Select(s => s.Path).ToArray();
    }
}
