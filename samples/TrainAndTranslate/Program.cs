// Seq2Seq.NET from C#: train a grapheme-to-phoneme model from code, then load it and translate.
// Run from the repository root: dotnet run --project samples/TrainAndTranslate -c Release
using Seq2Seq;
using Seq2Seq.Configuration;
using Seq2Seq.Training;

// 1. Training takes the same options as the YAML files: load one and override, or build a RunConfig in code.
var config = ConfigLoader.Load("configs/cmudict-g2p.yaml") with { RunDir = "runs/sample-g2p" };
config = config with
{
    Data = config.Data with { Train = "data/cmudict-g2p/train.tsv", Dev = "data/cmudict-g2p/dev.tsv", Test = "data/cmudict-g2p/test.tsv" },
    Model = config.Model with { Encoder = config.Model.Encoder with { HiddenSize = 128, Layers = 1 }, Decoder = config.Model.Decoder with { HiddenSize = 128, Layers = 1 } },
    Training = config.Training with { MaxMinutes = 1, MaxSteps = 0, ValidateEvery = 100 },
};
bool resume = Directory.Exists(Path.Combine(config.RunDir, "checkpoints"));
var result = Trainer.Run(config, new TrainerOptions(resume, line => Console.WriteLine(line)));
Console.WriteLine($"trained {result.Steps} steps: {result.StopReason}");

// 2. Load the trained model and translate: n-best with log-probabilities, and the attention of the best one.
using var model = Seq2SeqModel.Load(config.RunDir);
var translation = model.Translate("seq", beam: 5, nbest: 3, attention: true);
foreach (var candidate in translation.NBest)
    Console.WriteLine($"{translation.Source} → {candidate.Text}   log P = {candidate.LogProb:F3}");
var best = translation.NBest[0];
Console.WriteLine($"attention: {best.Attention!.Length} output steps × {translation.SourceTokens.Count} source characters");

// 3. Score given outputs: log P(y | x), total and per token.
var score = model.Score([("hello", "HH AH0 L OW1")])[0];
Console.WriteLine($"log P(HH AH0 L OW1 | hello) = {score.Total:F3}");
