using System.CommandLine;
using System.Text.Json;
using Seq2Seq.Cli.Commands;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Onnx;
using Seq2Seq.Runs;
using Seq2Seq.Training;
using Xunit.Abstractions;

namespace Seq2Seq.Tests.Onnx;

/// <summary><c>s2s export --format onnx</c>: a versioned, self-contained model folder that decodes like the run it
/// came from once the run directory is gone.</summary>
public sealed class OnnxModelExportTests(ITestOutputHelper output)
{
    [Fact]
    public void Exported_folder_is_self_contained_and_decodes_like_the_run()
    {
        using var task = new SyntheticTask(train: 600);
        var config = task.Config(60);
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        var test = task.Pairs("test").Take(24).ToList();
        string fp32 = Path.Combine(task.Dir, "onnx"), int8 = Path.Combine(task.Dir, "onnx-int8");
        List<int[]> sources, targets, reference;
        List<SequenceScore> referenceScores;
        using (var model = Seq2SeqModel.Load(config.RunDir))
        {
            sources = test.Select(p => model.SourceVocab.Encode(model.SourceTokenizer.Tokenize(p.Source))).ToList();
            targets = test.Select(p => model.TargetVocab.Encode(model.TargetTokenizer.Tokenize(p.Target))).ToList();
            reference = CorpusDecoder.Decode(new TorchDecodingBackend(model.Network), sources, new SearchOptions(BeamSize: 1, MaxLengthRatio: 1.5, MaxLengthOffset: 3), 16)
                .Select(h => h[0].Tokens).ToList();
            referenceScores = SequenceScorer.Score(new TorchDecodingBackend(model.Network), sources, targets, 4096);
        }
        Assert.Equal(0, ExportCommand.Create().Parse(["--model", config.RunDir, "--out", fp32, "--format", "onnx"]).Invoke());
        Assert.Equal(0, ExportCommand.Create().Parse(["--model", config.RunDir, "--out", int8, "--format", "onnx", "--quantize", "int8"]).Invoke());
        Directory.Delete(config.RunDir, recursive: true);

        foreach (var f in new[] { "encoder.onnx", "decoder_step.onnx", "manifest.json", "config.yaml", "src.vocab", "tgt.vocab" })
            Assert.True(File.Exists(Path.Combine(fp32, f)), f);
        var manifest = OnnxManifest.Load(Path.Combine(fp32, "manifest.json"));
        Assert.Equal((OnnxManifest.FormatName, 1, "rnn", "none"), (manifest.Format, manifest.FormatVersion, manifest.ModelType, manifest.Quantization.Mode));
        Assert.Equal(["h", "c", "attentional"], manifest.Graphs.State);
        Assert.Equal("int8", OnnxManifest.Load(Path.Combine(int8, "manifest.json")).Quantization.Mode);

        // The folder's own vocabulary and tokeniser (the run's files under the run directory's names).
        var folderConfig = Seq2Seq.Configuration.ConfigLoader.Load(Path.Combine(fp32, "config.yaml"));
        var tokenizer = RunTokenizers.Create(folderConfig.Data, TextSide.Source, new RunDirectory(fp32));
        var vocab = Vocabulary.Load(Path.Combine(fp32, "src.vocab"));
        Assert.Equal(sources, test.Select(p => vocab.Encode(tokenizer.Tokenize(p.Source))).ToList());

        using var onnx = OnnxRuntimeModel.Load(fp32, threads: 1);
        Assert.Equal(reference, OnnxParity.Greedy(onnx, sources, new SearchOptions(BeamSize: 1, MaxLengthRatio: 1.5, MaxLengthOffset: 3)));

        // int8 on the trained model: per-token log P within 0.02 of fp32 on average and 0.15 at most (the largest
        // differences fall on improbable tokens), and at least 90 % of greedy outputs equal.
        using var q = OnnxRuntimeModel.Load(int8, threads: 1);
        var scores = OnnxParity.Score(q, sources, targets);
        var diffs = scores.Zip(referenceScores).SelectMany(x => x.First.Zip(x.Second.PerToken, (a, b) => (double)Math.Abs(a - b))).ToList();
        double max = diffs.Max(), mean = diffs.Average();
        int same = OnnxParity.Greedy(q, sources, new SearchOptions(BeamSize: 1, MaxLengthRatio: 1.5, MaxLengthOffset: 3)).Zip(reference).Count(x => x.First.SequenceEqual(x.Second));
        output.WriteLine($"int8 trained: mean |Δ log P| = {mean:E2}, max {max:E2}, greedy outputs equal to fp32: {same}/{sources.Count}");
        Assert.True(mean <= 0.02 && max <= 0.15, $"int8 |Δ log P| mean {mean}, max {max}");
        Assert.True(same >= sources.Count * 0.9, $"int8 greedy equal on {same}/{sources.Count}");
    }

    [Fact]
    public void A_manifest_of_a_newer_format_version_is_refused_naming_the_field()
    {
        using var dir = new Data.TempDir();
        string path = Path.Combine(dir.Path, "manifest.json");
        new OnnxManifest { FormatVersion = OnnxManifest.CurrentVersion + 1 }.Save(path);
        var e = Assert.Throws<InvalidDataException>(() => OnnxManifest.Load(path));
        Assert.Contains("format_version", e.Message);
        File.WriteAllText(path, JsonSerializer.Serialize(new { format = "something-else" }));
        Assert.Contains("field format", Assert.Throws<InvalidDataException>(() => OnnxManifest.Load(path)).Message);
    }
}
