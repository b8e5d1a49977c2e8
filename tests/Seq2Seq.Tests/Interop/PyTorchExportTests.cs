using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Seq2Seq.Decoding;
using Seq2Seq.Interop;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Interop;

/// <summary>s2s export: a PyTorch state_dict, safetensors, config, vocabularies and check pairs that agree with the model.</summary>
public class PyTorchExportTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExportWritesLoadableWeightsAndTheModelsOwnLogProbabilities(bool tie)
    {
        using var task = new SyntheticTask(train: 300);
        var config = task.Config(2, c => tie
            ? c with { Model = c.Model with { TieTargetEmbeddings = true, Decoder = c.Model.Decoder with { HiddenSize = c.Model.EmbeddingSize } } }
            : c);
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        using var model = Seq2SeqModel.Load(config.RunDir);
        string dir = Path.Combine(task.Dir, "export");
        var files = PyTorchExport.Write(model, dir, PyTorchExport.Formats, checkPairs: 5).Select(Path.GetFileName);
        Assert.Equal(["model.pt", "model.safetensors", "config.json", "src.vocab.json", "tgt.vocab.json", "check.json"], files);

        // torch.save's format is a zip archive; safetensors starts with a little-endian header length and a JSON header.
        Assert.Equal("PK"u8.ToArray(), File.ReadAllBytes(Path.Combine(dir, "model.pt")).Take(2));
        var st = File.ReadAllBytes(Path.Combine(dir, "model.safetensors"));
        long headerLength = BitConverter.ToInt64(st, 0);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(st, 8, (int)headerLength));
        // A tied matrix is one parameter but keeps both names, as in PyTorch's state_dict of the tied module.
        var names = model.Network.state_dict().Keys.ToHashSet();
        Assert.Subset(header.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToHashSet(), names);
        Assert.Contains("decoder.output.weight", names);
        Assert.Contains("decoder.embed.weight", header.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Contains("decoder.output.weight", header.RootElement.EnumerateObject().Select(p => p.Name));

        using var cfg = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json")));
        Assert.Equal(model.TargetVocab.Count, cfg.RootElement.GetProperty("target_vocab_size").GetInt32());
        Assert.Equal("lstm", cfg.RootElement.GetProperty("model").GetProperty("encoder").GetProperty("type").GetString());
        Assert.Equal(model.SourceVocab.Tokens, JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(dir, "src.vocab.json"))));

        using var check = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "check.json")));
        var pairs = check.RootElement.EnumerateArray().ToList();
        Assert.Equal(5, pairs.Count);
        var sources = pairs.Select(p => p.GetProperty("source").EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToList();
        var targets = pairs.Select(p => p.GetProperty("target").EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToList();
        var expected = SequenceScorer.Score(new TorchDecodingBackend(model.Network), sources, targets, 4096);
        for (int i = 0; i < pairs.Count; i++)
            Assert.Equal(expected[i].Total, pairs[i].GetProperty("log_prob").GetDouble(), 5);

        // Where Debian's python3-torch is installed, the PyTorch module must compute the same log-probabilities.
        if (Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import torch"]) { RedirectStandardError = true }) is { } probe
            && probe.WaitForExit(60_000) && probe.ExitCode == 0)
        {
            var psi = new ProcessStartInfo("/usr/bin/python3", [RepoPaths.Of("interop", "python", "check_export.py"), dir])
                { RedirectStandardOutput = true, RedirectStandardError = true };
            using var python = Process.Start(psi)!;
            string output = python.StandardOutput.ReadToEnd() + python.StandardError.ReadToEnd();
            python.WaitForExit();
            Assert.True(python.ExitCode == 0, output);
        }
    }

    [Fact]
    public void UnknownFormatIsRefusedWithTheValidOnes()
    {
        using var task = new SyntheticTask(train: 100);
        var config = task.Config(1);
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        using var model = Seq2SeqModel.Load(config.RunDir);
        var e = Assert.Throws<ArgumentException>(() => PyTorchExport.Write(model, Path.Combine(task.Dir, "x"), ["onnx"]));
        Assert.Equal("unknown export format 'onnx'; valid: pytorch, safetensors", e.Message);
    }
}
