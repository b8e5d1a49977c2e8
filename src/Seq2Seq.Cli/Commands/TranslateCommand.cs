using System.CommandLine;
using System.Globalization;
using System.Text;
using Seq2Seq.Configuration;
using Seq2Seq.Decoding;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>s2s translate --model RUN_DIR [--beam K] [--nbest N] [--input F] [--output F]</c>: one sentence per line.
/// With <c>--backend onnx</c>, <c>--model</c> is a folder from <c>s2s export --format onnx</c> and ONNX Runtime runs it.
/// With N = 1 each output line is the translation; with N &gt; 1 each line is
/// <c>line-number TAB rank TAB log-probability TAB score TAB translation</c>, score being log P divided by the GNMT
/// length penalty of decoding.length_penalty (greedy and beam alike). With <c>--attention DIR</c>, each
/// sentence's attention goes to <c>DIR/00001.json</c> and <c>DIR/00001.png</c> (line numbers from 1).
/// </summary>
public static class TranslateCommand
{
    public static Command Create()
    {
        var model = new Option<string[]>("--model") { Description = "Run directory of a trained model (--backend onnx: an ONNX export folder); repeat it to decode with an ensemble (mean of the models' log-probabilities; torch only)", Required = true };
        var backend = ModelLoading.BackendOption();
        var beam = new Option<int?>("--beam") { Description = "Beam size (default: the run's decoding.beam_size; 1 = greedy)" };
        var nbest = new Option<int>("--nbest") { Description = "Hypotheses to print per input", DefaultValueFactory = _ => 1 };
        var input = new Option<string?>("--input") { Description = "Input file (default: standard input)" };
        var output = new Option<string?>("--output") { Description = "Output file (default: standard output)" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A specific checkpoint file (default: the best)" };
        var threads = ModelLoading.ThreadsOption();
        var attention = new Option<string?>("--attention") { Description = "Write each sentence's attention matrix (JSON) and heatmap (PNG) into this folder" };
        var timing = new Option<bool>("--timing") { Description = "Print start-up and decoding time and sentences/s to standard error" };
        var beamStop = new Option<string?>("--beam-stop") { Description = $"When beam search ends a sentence: {string.Join(" | ", BeamStops.All)} (default: the run's decoding.beam_stop)" };
        beamStop.AcceptOnlyFromAmong([.. BeamStops.All]);
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (CUDA needs a CUDA libtorch)", DefaultValueFactory = _ => DeviceNames.Cpu };
        var command = new Command("translate", "Translate sentences with a trained model") { model, backend, beam, nbest, beamStop, input, output, checkpoint, threads, attention, timing, device };
        command.SetAction(parse =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int n = parse.GetValue(nbest);
            int? k = parse.GetValue(beam);
            if (n < 1) throw new ArgumentException("--nbest must be at least 1");
            if (k is < 1) throw new ArgumentException("--beam must be at least 1");
            string? stop = parse.GetValue(beamStop);
            Action<string> warn = message => Console.Error.WriteLine($"warning: {message}");
            using var m = ModelLoading.Load(parse.GetValue(backend)!, parse.GetValue(model)!, parse.GetValue(checkpoint), parse.GetValue(threads), warn, parse.GetValue(device)!);
            m.Warn = warn;
            if (stop is not null) m.Config = m.Config with { Decoding = m.Config.Decoding with { BeamStop = stop } };
            if (k is null && n > m.Config.Decoding.BeamSize) k = n;
            using var reader = OpenInput(parse.GetValue(input));
            using var writer = OpenOutput(parse.GetValue(output));
            string? attentionDir = parse.GetValue(attention);
            double startup = clock.Elapsed.TotalSeconds, decoding = 0;
            using var work = parse.GetValue(timing) ? new DecodingWork.Tally() : null;
            int lineNumber = 0;
            foreach (var chunk in ReadLines(reader).Chunk(1000))
            {
                var decodeClock = System.Diagnostics.Stopwatch.StartNew();
                var translations = m.Translate(chunk, k, n, attention: attentionDir is not null);
                decoding += decodeClock.Elapsed.TotalSeconds;
                foreach (var t in translations)
                {
                    lineNumber++;
                    if (attentionDir is not null) AttentionHeatmap.Write(t, attentionDir, $"{lineNumber:D5}");
                    if (n == 1) { writer.WriteLine(t.Text); continue; }
                    for (int r = 0; r < t.NBest.Count; r++)
                        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{lineNumber}\t{r + 1}\t{t.NBest[r].LogProb:F4}\t{t.NBest[r].Score:F4}\t{t.NBest[r].Text}"));
                }
            }
            if (work is not null)
            {
                // The work line first: bench/compare_report.py reads the timing from the last line.
                long full = Math.Max(work.FullBatchRowSteps, 1);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"decoder rows × steps: {work.RowSteps:N0}; {work.FullBatchRowSteps:N0} had finished sentences stayed in their batches ({100.0 * (full - work.RowSteps) / full:F1} % saved)"));
                var (encode, step, select) = work.Seconds;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"decoding time: encode {encode:F2} s, decoder steps {step:F2} s, row selection {select:F2} s, the rest (search bookkeeping, tokenising, batching) {decoding - encode - step - select:F2} s"));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{lineNumber} sentences decoded in {decoding:F2} s ({lineNumber / Math.Max(decoding, 1e-9):F1} sentences/s, beam {k ?? m.Config.Decoding.BeamSize}); start-up ({(m.BackendName == Backends.Onnx ? "ONNX Runtime" : "libtorch")} and model load) {startup:F2} s; total {clock.Elapsed.TotalSeconds:F2} s"));
            }
            return CliErrors.Ok;
        });
        return command;
    }

    internal static TextReader OpenInput(string? path) =>
        path is null ? new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false)) : new StreamReader(path, new UTF8Encoding(false));

    internal static TextWriter OpenOutput(string? path) =>
        new StreamWriter(path is null ? Console.OpenStandardOutput() : File.Create(path), new UTF8Encoding(false)) { AutoFlush = path is null };

    static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line) yield return line;
    }
}
