using System.CommandLine;
using Seq2Seq.Interop;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>s2s export --model RUN_DIR --output DIR [--format pytorch,safetensors]</c>.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run directory of a trained model", Required = true };
        var output = new Option<string>("--output") { Description = "Folder for model.pt / model.safetensors, config.json, vocabularies, check.json", Required = true };
        var format = new Option<string>("--format") { Description = "pytorch, safetensors or both (comma-separated)", DefaultValueFactory = _ => "pytorch,safetensors" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A specific checkpoint file (default: the best)" };
        var command = new Command("export", "Export the weights for PyTorch (state_dict) and safetensors, with config and vocabularies") { model, output, format, checkpoint };
        command.SetAction(parse =>
        {
            var formats = parse.GetValue(format)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            using var m = Seq2SeqModel.Load(parse.GetValue(model)!, parse.GetValue(checkpoint), 0, w => Console.Error.WriteLine($"warning: {w}"));
            foreach (var file in PyTorchExport.Write(m, parse.GetValue(output)!, formats)) Console.WriteLine(file);
            return CliErrors.Ok;
        });
        return command;
    }
}
