using System.CommandLine;
using System.Globalization;
using Seq2Seq.Configuration;
using Spectre.Console;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>s2s quickstart</c>: trains a small attention model on the bundled CMUdict sample (English spelling →
/// ARPAbet phonemes) for a few minutes, then shows the test WER/PER and n-best outputs with their log-probabilities.
/// </summary>
public static class QuickstartCommand
{
    static readonly string[] Examples = ["computer", "translation", "seattle", "quickstart", "photograph"];

    public static Command Create()
    {
        var minutes = new Option<double>("--minutes") { Description = "Training time budget", DefaultValueFactory = _ => 2.5 };
        var runDir = new Option<string>("--run-dir") { Description = "Where to write the run", DefaultValueFactory = _ => "runs/quickstart" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = all cores)" };
        var command = new Command("quickstart", "Train a grapheme-to-phoneme model on bundled data (~3 min) and show what it learned")
            { minutes, runDir, threads };
        command.SetAction(parse => Run(parse.GetValue(minutes), parse.GetValue(runDir)!, parse.GetValue(threads)));
        return command;
    }

    /// <summary>The quickstart's config: a small bi-LSTM + Luong attention model on the bundled G2P sample.</summary>
    public static RunConfig Config(string dataDir, string runDir, double minutes, int threads) => new()
    {
        Name = "quickstart",
        RunDir = runDir,
        Data = new DataConfig
        {
            Train = Path.Combine(dataDir, "train.tsv"), Dev = Path.Combine(dataDir, "dev.tsv"), Test = Path.Combine(dataDir, "test.tsv"),
            SourceTokenizer = TokenizerKinds.Char, TargetTokenizer = TokenizerKinds.Space, MinFrequency = 1, MaxLength = 50,
        },
        Model = new ModelConfig
        {
            EmbeddingSize = 64, Dropout = 0.1,
            Encoder = new EncoderConfig { HiddenSize = 256, Layers = 1 },
            Decoder = new DecoderConfig { HiddenSize = 256, Layers = 1, Attention = AttentionScores.General },
        },
        Training = new TrainingConfig
        {
            BatchTokens = 2048, LearningRate = 2e-3, ValidateEvery = 300, MaxMinutes = minutes, Threads = threads,
            LogEvery = 50, BestMetric = BestMetrics.Wer, KeepCheckpoints = 1,
        },
        Decoding = new DecodingConfig { BeamSize = 5, Metric = "wer", MaxLengthRatio = 1.5, MaxLengthOffset = 5 },
    };

    static int Run(double minutes, string runDir, int threads)
    {
        string dataDir = FindData();
        if (Directory.Exists(runDir))
        {
            if (!File.Exists(Path.Combine(runDir, "config.yaml")) || !File.ReadAllText(Path.Combine(runDir, "config.yaml")).Contains("name: quickstart"))
                throw new ArgumentException($"{runDir} exists and is not an earlier quickstart run; pass --run-dir to choose another folder");
            Directory.Delete(runDir, recursive: true);
        }
        AnsiConsole.MarkupLine($"[bold]Seq2Seq.NET quickstart[/]: learning English pronunciations (CMUdict sample in {Markup.Escape(dataDir)})");
        AnsiConsole.MarkupLine($"Training a bi-LSTM encoder + attention LSTM decoder for {minutes} minutes; progress below.\n");
        var config = Config(dataDir, runDir, minutes, threads);
        var result = TrainCommand.Run(config, resume: false, Console.Out);

        var table = new Table().AddColumn("test metric").AddColumn("value");
        foreach (var (k, v) in result.TestMetrics)
            table.AddRow(k, Convert.ToString(v, CultureInfo.InvariantCulture) ?? "");
        table.AddRow("training steps", result.Steps.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);

        using var model = Seq2SeqModel.Load(runDir);
        var nbest = new Table().AddColumn("word").AddColumn("rank").AddColumn("phonemes").AddColumn("log P(y|x)");
        foreach (var t in model.Translate(Examples, beam: 5, nbest: 3))
            for (int r = 0; r < t.NBest.Count; r++)
                nbest.AddRow(r == 0 ? t.Source : "", (r + 1).ToString(CultureInfo.InvariantCulture), t.NBest[r].Text,
                    t.NBest[r].LogProb.ToString("F3", CultureInfo.InvariantCulture));
        AnsiConsole.Write(nbest);
        // Inside the repository the README's way of running s2s; as an installed .NET tool, the tool itself.
        string s2s = File.Exists("src/Seq2Seq.Cli/Seq2Seq.Cli.csproj") ? "dotnet run --project src/Seq2Seq.Cli -c Release --" : "s2s";
        AnsiConsole.MarkupLine($"\nThe run is in [bold]{Markup.Escape(runDir)}[/]. Try: {s2s} translate --model {Markup.Escape(runDir)} --nbest 3");
        return CliErrors.Ok;
    }

    static string FindData()
    {
        foreach (var root in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            string dir = Path.Combine(root, "data", "cmudict-g2p");
            if (File.Exists(Path.Combine(dir, "train.tsv"))) return dir;
        }
        throw new FileNotFoundException("the bundled data/cmudict-g2p sample was not found next to s2s or in the current folder");
    }
}
