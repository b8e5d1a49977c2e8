using System.CommandLine;
using System.Globalization;
using Seq2Seq.Configuration;
using Seq2Seq.Data;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>s2s score --model RUN_DIR --input PAIRS.tsv [--backend onnx]</c>: the conditional probability of each target given its source.
/// Prints per pair <c>log P(y|x) TAB log P per token TAB tokens (incl. &lt;/s&gt;)</c>.
/// </summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var model = new Option<string[]>("--model") { Description = "Run directory of a trained model (--backend onnx: an ONNX export folder); repeat it to score with an ensemble (torch only)", Required = true };
        var backend = ModelLoading.BackendOption();
        var threads = ModelLoading.ThreadsOption();
        var input = new Option<string>("--input") { Description = "TSV file of source<TAB>target pairs", Required = true };
        var srcCol = new Option<int>("--source-column") { Description = "0-based source column", DefaultValueFactory = _ => 0 };
        var tgtCol = new Option<int>("--target-column") { Description = "0-based target column", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--output") { Description = "Output file (default: standard output)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (CUDA needs a CUDA libtorch)", DefaultValueFactory = _ => DeviceNames.Cpu };
        var command = new Command("score", "Print log P(target | source) for given pairs") { model, backend, input, srcCol, tgtCol, output, threads, device };
        command.SetAction(parse =>
        {
            var pairs = ParallelCorpusReader.ReadTsv(parse.GetValue(input)!, parse.GetValue(srcCol), parse.GetValue(tgtCol), BadLinePolicy.Error).Pairs;
            using var m = ModelLoading.Load(parse.GetValue(backend)!, parse.GetValue(model)!, null, parse.GetValue(threads),
                w => Console.Error.WriteLine($"warning: {w}"), parse.GetValue(device)!);
            var scores = m.Score(pairs.Select(p => (p.Source, p.Target)).ToList());
            using var writer = TranslateCommand.OpenOutput(parse.GetValue(output));
            foreach (var s in scores)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Total:F4}\t{s.Total / s.PerToken.Length:F4}\t{s.PerToken.Length}"));
            return CliErrors.Ok;
        });
        return command;
    }
}
