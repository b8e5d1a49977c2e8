using System.CommandLine;
using Seq2Seq.Interop;
using Seq2Seq.Onnx;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>s2s export --model RUN_DIR --output DIR [--format pytorch,safetensors,onnx] [--quantize int8]</c>.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run directory of a trained model", Required = true };
        var output = new Option<string>("--output", "--out") { Description = "Folder for model.pt / model.safetensors, config.json, vocabularies, check.json; or for the ONNX model folder", Required = true };
        var format = new Option<string>("--format") { Description = "pytorch, safetensors, onnx (comma-separated)", DefaultValueFactory = _ => "pytorch,safetensors" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A specific checkpoint file (default: the best)" };
        var quantize = new Option<string>("--quantize") { Description = "ONNX only: none, or int8 (dynamic quantisation of the linear layers' weights)", DefaultValueFactory = _ => "none" };
        var command = new Command("export", "Export the weights for PyTorch (state_dict) and safetensors, with config and vocabularies; or an ONNX model folder (encoder.onnx, decoder_step.onnx, manifest.json, vocabularies, tokeniser files) that runs without libtorch")
            { model, output, format, checkpoint, quantize };
        command.SetAction(parse =>
        {
            var formats = parse.GetValue(format)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            string q = parse.GetValue(quantize)!;
            if (q is not ("none" or "int8")) throw new ArgumentException($"--quantize: '{q}' is not one of none, int8");
            if (q != "none" && !formats.Contains("onnx")) throw new ArgumentException("--quantize applies to --format onnx only");
            using var m = Seq2SeqModel.Load(parse.GetValue(model)!, parse.GetValue(checkpoint), 0, w => Console.Error.WriteLine($"warning: {w}"));
            var weightFormats = formats.Where(f => f != "onnx").ToList();
            if (weightFormats.Count > 0)
                foreach (var file in PyTorchExport.Write(m, parse.GetValue(output)!, weightFormats)) Console.WriteLine(file);
            if (formats.Contains("onnx"))
                foreach (var file in OnnxModelExport.Write(m, parse.GetValue(output)!, int8: q == "int8")) Console.WriteLine(file);
            return CliErrors.Ok;
        });
        return command;
    }
}
