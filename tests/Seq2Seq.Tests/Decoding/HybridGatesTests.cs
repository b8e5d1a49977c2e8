using System.Text.Json;
using Seq2Seq.Decoding;
using Seq2Seq.Data;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Decoding;

/// <summary>A hybrid model's translation with attention carries the gate of each output step (issue 4: a user can see
/// when the model looked globally and when locally); other models carry none.</summary>
public class HybridGatesTests
{
    [Theory]
    [InlineData("hybrid", true)]
    [InlineData("global", false)]
    public void TranslationsWithAttentionCarryTheGatePerOutputStep(string attentionType, bool hasGates)
    {
        using var task = new SyntheticTask(reverse: true, train: 300);
        var config = task.Config(20, c => c with
        {
            Model = c.Model with { Decoder = c.Model.Decoder with { AttentionType = attentionType, Attention = "general", LocalWindow = 2 } },
        });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        using var model = Seq2SeqModel.Load(config.RunDir);
        var sources = task.Pairs("test").Take(6).Select(p => p.Source).ToList();

        foreach (int beam in new[] { 1, 3 })
            foreach (var t in model.Translate(sources, beam: beam, nbest: beam, attention: true))
                foreach (var c in t.NBest)
                {
                    Assert.NotNull(c.Attention);
                    if (!hasGates) { Assert.Null(c.Gates); continue; }
                    Assert.NotNull(c.Gates);
                    Assert.Equal(c.Attention!.Length, c.Gates!.Length);          // one gate per output token and </s>
                    Assert.All(c.Gates, g => Assert.InRange(g, 0f, 1f));
                }

        var best = model.Translate(sources[0], beam: 1, attention: true);
        using var json = JsonDocument.Parse(AttentionHeatmap.ToJson(best));
        var gates = json.RootElement.GetProperty("gates");
        if (hasGates) Assert.Equal(best.NBest[0].Gates!.Length, gates.GetArrayLength());
        else Assert.Equal(JsonValueKind.Null, gates.ValueKind);
        // Without attention requested, no gates are computed.
        Assert.Null(model.Translate(sources[0], beam: 1).NBest[0].Gates);
    }

    [Fact]
    public void TeacherForcingTheSearchsOutputReproducesWhatTheSearchAttended()
    {
        // The gates come from a teacher-forced pass over the search's output, not from the search itself; that pass
        // must be the same computation, which its attention weights (mixed with those gates) show row by row.
        using var task = new SyntheticTask(reverse: true, train: 300);
        var config = task.Config(30, c => c with
        {
            Model = c.Model with { Decoder = c.Model.Decoder with { AttentionType = "hybrid", Attention = "dot", LocalWindow = 1 } },
        });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        using var model = Seq2SeqModel.Load(config.RunDir);
        foreach (var (source, _) in task.Pairs("test").Take(4))
        {
            var c = model.Translate(source, beam: 1, attention: true).NBest[0];
            var src = model.SourceVocab.Encode(model.SourceTokenizer.Tokenize(source));
            long[] targetIn = [Vocabulary.Bos, .. model.TargetVocab.Encode(c.Tokens).Select(x => (long)x)];
            using var _ = no_grad();
            var (_, weights, gates) = model.Network.Forward(tensor(src.Select(x => (long)x).ToArray()).view(1, -1),
                tensor(new long[] { src.Length }), tensor(targetIn).view(1, -1), returnWeights: true);
            var forced = weights!.squeeze(0).data<float>().ToArray();                   // [tgtLen, srcLen]
            for (int t = 0; t < c.Attention!.Length; t++)
                for (int s = 0; s < src.Length; s++)
                    Assert.Equal(forced[t * src.Length + s], c.Attention[t][s], 4);
            Assert.Equal(gates!.squeeze(0).data<float>().ToArray()[..c.Gates!.Length], c.Gates);
        }
    }
}
