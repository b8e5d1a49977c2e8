using System.CommandLine;
using System.Diagnostics;
using Seq2Seq.Cli.Commands;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Onnx;

/// <summary><c>translate/score --backend onnx</c> on an exported tiny run: the lines of <c>--backend torch</c>,
/// without libtorch in the process, and clear errors for what the ONNX backend cannot do.</summary>
public sealed class OnnxBackendCliTests : IClassFixture<OnnxBackendCliTests.ExportedRun>
{
    /// <summary>A tiny reverse-task RNN, trained once, and its ONNX export.</summary>
    public sealed class ExportedRun : IDisposable
    {
        readonly SyntheticTask task = new(train: 600);

        public ExportedRun()
        {
            var config = task.Config(100);
            Trainer.Run(config, new TrainerOptions(false, _ => { }));
            RunDir = config.RunDir;
            Export = Path.Combine(task.Dir, "onnx");
            Assert.Equal(0, Invoke(ExportCommand.Create(), "--model", RunDir, "--format", "onnx", "--out", Export));
            Input = Path.Combine(task.Dir, "input.txt");
            File.WriteAllLines(Input, task.Pairs("test").Take(30).Select(p => p.Source));
            Pairs = Path.Combine(task.Dir, "test.tsv");
        }

        public string RunDir { get; }
        public string Export { get; }
        public string Input { get; }
        public string Pairs { get; }
        public string Dir => task.Dir;

        public void Dispose() => task.Dispose();
    }

    readonly ExportedRun run;

    public OnnxBackendCliTests(ExportedRun run) => this.run = run;

    static int Invoke(Command command, params string[] args) =>
        command.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });

    string Out(string name) => Path.Combine(run.Dir, name);

    [Fact]
    public void Translate_and_score_with_the_onnx_backend_print_the_torch_backends_lines()
    {
        foreach (var beam in new[] { "1", "5" })
        {
            Assert.Equal(0, Invoke(TranslateCommand.Create(), "--model", run.RunDir, "--input", run.Input, "--output", Out($"torch{beam}"), "--beam", beam, "--nbest", beam == "1" ? "1" : "2"));
            Assert.Equal(0, Invoke(TranslateCommand.Create(), "--backend", "onnx", "--model", run.Export, "--input", run.Input, "--output", Out($"onnx{beam}"),
                "--beam", beam, "--nbest", beam == "1" ? "1" : "2", "--threads", "1"));
            var expected = File.ReadAllLines(Out($"torch{beam}"));
            var actual = File.ReadAllLines(Out($"onnx{beam}"));
            Assert.Equal(beam == "1" ? 30 : 60, expected.Length);
            if (beam == "1") { Assert.Equal(expected, actual); continue; }
            // n-best lines: line, rank and text the same; log P and score printed to 4 decimals, which float
            // rounding may move by one in the last digit.
            Assert.Equal(expected.Select(l => Columns(l, 0, 1, 4)), actual.Select(l => Columns(l, 0, 1, 4)));
            foreach (var (e, a) in expected.Zip(actual))
                foreach (int c in new[] { 2, 3 }) Assert.Equal(Number(e, c), Number(a, c), 2e-4);
        }
        Assert.Equal(0, Invoke(ScoreCommand.Create(), "--model", run.RunDir, "--input", run.Pairs, "--output", Out("torch.score")));
        Assert.Equal(0, Invoke(ScoreCommand.Create(), "--backend", "onnx", "--model", run.Export, "--input", run.Pairs, "--output", Out("onnx.score")));
        var torchScores = File.ReadAllLines(Out("torch.score")).Select(l => Number(l, 0)).ToList();
        var onnxScores = File.ReadAllLines(Out("onnx.score")).Select(l => Number(l, 0)).ToList();
        Assert.Equal(torchScores.Count, onnxScores.Count);
        foreach (var (a, b) in torchScores.Zip(onnxScores)) Assert.Equal(a, b, 2e-4);   // printed to 4 decimals
    }

    static string Columns(string line, params int[] columns) => string.Join('\t', columns.Select(c => line.Split('\t')[c]));

    static double Number(string line, int column) => double.Parse(line.Split('\t')[column], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_onnx_backend_in_its_own_process_never_loads_libtorch()
    {
        // The dynamic loader logs every library it loads (LD_DEBUG=libs) to a file per process; the torch backend's
        // log shows libtorch, so the check can see it, and the ONNX backend's shows ONNX Runtime but no libtorch.
        string LoadedLibraries(string name, params string[] args)
        {
            string log = Out($"ld-{name}");
            string dll = Path.Combine(AppContext.BaseDirectory, "s2s.dll");
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { dll }.Concat(args)) psi.ArgumentList.Add(a);
            psi.Environment["LD_DEBUG"] = "libs";
            psi.Environment["LD_DEBUG_OUTPUT"] = log;
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"s2s {string.Join(' ', args)}: exit {p.ExitCode}: {stderr.Result}");
            var files = Directory.GetFiles(run.Dir, $"ld-{name}.*");
            Assert.NotEmpty(files);
            return string.Join('\n', files.Select(File.ReadAllText));
        }

        var onnx = LoadedLibraries("onnx", "translate", "--backend", "onnx", "--model", run.Export, "--input", run.Input, "--output", Out("sub-onnx"));
        Assert.Contains("libonnxruntime", onnx);
        Assert.DoesNotContain("libtorch", onnx);
        Assert.DoesNotContain("LibTorchSharp", onnx);
        var torch = LoadedLibraries("torch", "translate", "--model", run.RunDir, "--input", run.Input, "--output", Out("sub-torch"));
        Assert.Contains("libtorch", torch);
        Assert.Equal(File.ReadAllLines(Out("sub-torch")), File.ReadAllLines(Out("sub-onnx")));
    }

    [Fact]
    public void Options_the_onnx_backend_cannot_honour_are_clear_errors()
    {
        string Error(Command command, params string[] args) => Assert.Throws<ArgumentException>(() => Invoke(command, args)).Message;
        string out1 = Out("never");
        Assert.Contains("s2s export", Assert.Throws<InvalidDataException>(() =>
            Invoke(TranslateCommand.Create(), "--backend", "onnx", "--model", run.RunDir, "--input", run.Input, "--output", out1)).Message);
        Assert.Contains("--backend onnx", Assert.Throws<InvalidDataException>(() =>
            Invoke(TranslateCommand.Create(), "--model", run.Export, "--input", run.Input, "--output", out1)).Message);
        Assert.Contains("--backend torch for CUDA", Error(TranslateCommand.Create(), "--backend", "onnx", "--model", run.Export, "--device", "cuda", "--input", run.Input));
        Assert.Contains("ensembles", Error(TranslateCommand.Create(), "--backend", "onnx", "--model", run.Export, "--model", run.Export, "--input", run.Input));
        Assert.Contains("--checkpoint", Error(TranslateCommand.Create(), "--backend", "onnx", "--model", run.Export, "--checkpoint", "x.ckpt", "--input", run.Input));
        Assert.Contains("--backend must be one of", Error(ScoreCommand.Create(), "--backend", "tensorrt", "--model", run.Export, "--input", run.Pairs));
        Assert.Contains("--backend torch for CUDA", Error(ServeCommand.Create(), "--backend", "onnx", "--model", run.Export, "--device", "cuda:1"));
        Assert.False(File.Exists(out1));
    }
}
