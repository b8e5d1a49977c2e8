using Seq2Seq.Configuration;
using Seq2Seq.Decoding;
using Seq2Seq.Onnx;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Onnx;

/// <summary>
/// An export folder loaded as an <see cref="OnnxModel"/> translates and scores as the run it came from does on
/// TorchSharp: the same greedy and beam outputs (n-best lists included), log P and scores within float rounding, the
/// same attention and hybrid gates — one search and one text path, two backends.
/// </summary>
public sealed class OnnxModelTests
{
    static RunConfig Tiny(SyntheticTask task, string kind) => task.Config(120, c => kind switch
    {
        "transformer" => c with
        {
            Model = c.Model with
            {
                Type = ModelTypes.Transformer,
                Transformer = new TransformerConfig { EncoderLayers = 1, DecoderLayers = 2, ModelSize = 32, Heads = 4, FeedForwardSize = 64, Dropout = 0, AttentionDropout = 0 },
            },
        },
        "rnn-hybrid" => c with { Model = c.Model with { Decoder = c.Model.Decoder with { Attention = AttentionScores.General, AttentionType = "hybrid", LocalWindow = 2 } } },
        _ => c with { Model = c.Model with { Decoder = c.Model.Decoder with { Attention = AttentionScores.General } } },
    });

    [Theory]
    [InlineData("transformer")]
    [InlineData("rnn")]
    [InlineData("rnn-hybrid")]
    public void Onnx_backend_translates_and_scores_as_the_torch_backend(string kind)
    {
        using var task = new SyntheticTask(train: 600);
        var config = Tiny(task, kind);
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        string export = Path.Combine(task.Dir, "onnx");
        var test = task.Pairs("test").Take(40).ToList();
        var sources = test.Select(p => p.Source).Append("").Append("w1").ToList();   // an empty input and a one-token one too
        using var torch = Seq2SeqModel.Load(config.RunDir);
        OnnxModelExport.Write(torch, export);
        using var onnx = OnnxModel.Load(export, threads: 1);
        Assert.Equal((Backends.Torch, Backends.Onnx), (torch.BackendName, onnx.BackendName));
        Assert.Equal(torch.ParameterCount, onnx.ParameterCount);
        Assert.Equal(torch.MaxSourceLength, onnx.MaxSourceLength);

        foreach (var (beam, nbest) in new[] { (1, 1), (5, 1), (5, 3) })
        {
            bool attention = nbest == 1;
            var expected = torch.Translate(sources, beam, nbest, attention);
            var actual = onnx.Translate(sources, beam, nbest, attention);
            Assert.True(actual.Count(t => t.Text.Length > 0) >= test.Count / 2, "the trained model should translate most inputs to something");
            for (int i = 0; i < sources.Count; i++)
            {
                Assert.Equal(expected[i].SourceTokens, actual[i].SourceTokens);
                Assert.Equal(expected[i].NBest.Select(c => c.Text), actual[i].NBest.Select(c => c.Text));
                foreach (var (e, a) in expected[i].NBest.Zip(actual[i].NBest))
                {
                    Assert.Equal(e.LogProb, a.LogProb, 1e-4);
                    Assert.Equal(e.Score, a.Score, 1e-4);
                    Assert.Equal(e.Attention is null, a.Attention is null);
                    if (e.Attention is not null)
                        foreach (var (re, ra) in e.Attention.Zip(a.Attention!))
                            for (int s = 0; s < re.Length; s++) Assert.Equal(re[s], ra[s], 1e-4);
                    Assert.Equal(e.Gates is null, a.Gates is null);
                    if (e.Gates is not null)
                        for (int t = 0; t < e.Gates.Length; t++) Assert.Equal(e.Gates[t], a.Gates![t], 1e-4);
                }
            }
            if (kind == "rnn-hybrid" && attention) Assert.All(actual.Where(t => t.SourceTokens.Count > 0), t => Assert.NotNull(t.NBest[0].Gates));
        }

        var pairs = test.Select(p => (p.Source, p.Target)).Append(("w3 w4", "w4")).ToList();
        var scores = onnx.Score(pairs);
        foreach (var (e, a) in torch.Score(pairs).Zip(scores))
        {
            Assert.Equal(e.PerToken.Length, a.PerToken.Length);
            Assert.Equal(e.Total, a.Total, 1e-4);
            for (int t = 0; t < e.PerToken.Length; t++) Assert.Equal(e.PerToken[t], a.PerToken[t], 1e-4);
        }
    }

    [Fact]
    public void Stepped_teacher_forcing_gives_the_scores_of_whole_target_teacher_forcing()
    {
        // The scorer the ONNX backend uses, run over the TorchSharp backend: the same log P as Forward's.
        using var network = Models.ModelTestKit.Transformer(20, 15, seed: 3);
        var backend = new TorchDecodingBackend(network);
        var sources = Models.ModelTestKit.Sources(20, 4, 6, 2, 9);
        var targets = Models.ModelTestKit.Sources(15, 5, 3, 7, 1);
        var whole = backend.Score(sources, targets, gates: false);
        var stepped = SequenceScorer.ScoreByStepping(backend, sources, targets, gates: false);
        for (int i = 0; i < sources.Count; i++)
        {
            Assert.Equal(targets[i].Length + 1, stepped[i].PerToken.Length);
            for (int t = 0; t < stepped[i].PerToken.Length; t++) Assert.Equal(whole[i].PerToken[t], stepped[i].PerToken[t], 1e-5);
        }
    }

    [Fact]
    public void A_run_directory_is_not_an_export_folder_and_an_export_folder_is_not_a_run_directory()
    {
        using var task = new SyntheticTask(train: 200);
        var config = task.Config(2);
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        var e = Assert.Throws<InvalidDataException>(() => OnnxModel.Load(config.RunDir));
        Assert.Contains("run directory", e.Message);
        Assert.Contains("s2s export", e.Message);
        string export = Path.Combine(task.Dir, "onnx");
        using (var torch = Seq2SeqModel.Load(config.RunDir)) OnnxModelExport.Write(torch, export);
        Assert.Contains("--backend onnx", Assert.Throws<InvalidDataException>(() => Seq2SeqModel.Load(export)).Message);
    }
}
