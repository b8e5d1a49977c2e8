using System.CommandLine;
using System.Runtime.InteropServices;
using Seq2Seq.Configuration;
using Seq2Seq.Distributed;
using Seq2Seq.Training;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>s2s train CONFIG.yaml [--set key=value ...] [--resume]</c></summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "YAML config (see configs/)" };
        var set = new Option<string[]>("--set") { Description = "Override a config key, e.g. --set training.max_steps=100 (repeatable)" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest good checkpoint in the run directory" };
        var device = new Option<string?>("--device") { Description = "cpu, cuda or cuda:N: where to train (sets training.device; CUDA needs a CUDA libtorch)" };
        var command = new Command("train", "Train a model from a config file") { config, set, resume, device };
        command.SetAction(parse =>
        {
            string[] overrides = parse.GetValue(set) ?? [];
            if (parse.GetValue(device) is { } d) overrides = [.. overrides, $"training.device={d}"];
            var cfg = ConfigLoader.Load(parse.GetValue(config)!, overrides);
            var result = Run(cfg, parse.GetValue(resume), Console.Error);
            return result.Failed ? CliErrors.Failed : CliErrors.Ok;
        });
        return command;
    }

    /// <summary>Trains with Ctrl+C / SIGTERM turned into "save a checkpoint and stop".</summary>
    public static TrainingResult Run(RunConfig config, bool resume, TextWriter log)
    {
        using var cancel = new CancellationTokenSource();
        void Stop(PosixSignalContext c) { c.Cancel = true; log.WriteLine("signal received: saving a checkpoint and stopping"); cancel.Cancel(); }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        if (MpiLaunch.FromEnvironment()?.Rank is not > 0) log.WriteLine($"run directory: {config.RunDir}");   // MPI ranks other than 0 stay quiet
        return Trainer.Run(config, new TrainerOptions(resume, line => log.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}"), cancel.Token));
    }
}
