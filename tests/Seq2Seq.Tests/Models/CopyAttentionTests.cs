using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Onnx;
using Seq2Seq.Runs;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

/// <summary>model.copy_attention (pointer-generator): the mixture is a distribution, search and teacher forcing agree,
/// it learns to copy rare tokens that the plain model cannot yet produce, and runs, checkpoints and exports treat it
/// as a model of its own shape.</summary>
public class CopyAttentionTests
{
    const int Vocab = 20;

    [Fact]
    public void TheMixtureIsADistributionAndPaddingGetsNothing()
    {
        manual_seed(3);
        var logits = randn(3, Vocab);                                            // [rows, vocab]
        var gate = tensor(new[] { 0.9f, 0.5f, 0.1f }).view(3, 1);                // [rows, 1]
        var source = tensor(new long[,] { { 5, 6, 5, 0 }, { 7, 8, 9, 10 }, { 11, 0, 0, 0 } }); // 0 = <pad>
        var weights = GlobalAttention.Normalize(randn(3, 1, 4), source.ne(Vocabulary.Pad)).squeeze(1); // [rows, srcLen]
        var p = PointerGenerator.LogProbs(logits, new CopyInputs(gate, weights, source)).exp();

        Assert.True(p.sum(-1).allclose(ones(3), atol: 1e-5));
        // By hand: g · softmax, plus (1 − g) · the attention summed over the positions holding each id.
        var expected = (logits.softmax(-1) * gate).data<float>().ToArray();
        float[] w = weights.data<float>().ToArray(), g = [0.9f, 0.5f, 0.1f];
        long[] ids = source.data<long>().ToArray();
        for (int r = 0; r < 3; r++)
            for (int i = 0; i < 4; i++)
                if (ids[r * 4 + i] != Vocabulary.Pad) expected[r * Vocab + ids[r * 4 + i]] += (1 - g[r]) * w[r * 4 + i];
        Assert.True(p.allclose(tensor(expected).view(3, Vocab), atol: 1e-6));

        // Attention on a padded position (none from a real attention, which masks it) is not copied to <pad>.
        var leaky = tensor(new[] { 0.5f, 0.5f }).view(1, 2);
        var q = PointerGenerator.LogProbs(logits[..1], new CopyInputs(gate[..1], leaky, tensor(new long[,] { { 5, 0 } }))).exp();
        Assert.Equal((logits[0].softmax(-1)[Vocabulary.Pad] * 0.9f).item<float>(), q[0, Vocabulary.Pad].item<float>(), 6);
    }

    [Theory]
    [InlineData("rnn", true)]
    [InlineData("rnn", false)]
    [InlineData("additive", true)]
    [InlineData("transformer", true)]
    public void SearchStepsAndTeacherForcingGiveTheSameDistributions(string kind, bool inputFeeding)
    {
        using var model = kind == "transformer" ? ModelTestKit.Transformer(Vocab, Vocab, copy: true)
            : ModelTestKit.Model(Vocab, Vocab, attention: kind == "additive" ? "additive" : "general", inputFeeding: inputFeeding, copy: true);
        using var _ = no_grad();
        var batch = Batch.Create(ModelTestKit.Sources(Vocab, 3, 6, 4, 5), ModelTestKit.Sources(Vocab, 4, 5, 7, 3), [0, 1, 2]);
        var (forced, _, _) = model.Forward(batch.Source, batch.SourceLengths, batch.TargetIn!);   // [batch, tgtLen, vocab]
        Assert.True(forced.exp().sum(-1).allclose(ones(forced.shape[0], forced.shape[1]), atol: 1e-5));

        var (memory, state) = model.Encode(batch.Source, batch.SourceLengths);
        for (int t = 0; t < batch.TargetIn!.shape[1]; t++)
        {
            var (scores, next, _) = model.Step(batch.TargetIn[.., t], state, memory);            // [batch, vocab]
            Assert.True(scores.allclose(forced[.., t], atol: 1e-5), $"step {t}");
            state = next;
        }
    }

    [Fact]
    public void AnEnsembleWithACopyMemberAveragesEachMembersOwnDistribution()
    {
        using var copy = ModelTestKit.Model(Vocab, Vocab, copy: true);
        using var plain = ModelTestKit.Transformer(Vocab, Vocab);
        using var ensemble = new Ensemble([copy, plain], [16, 16]);
        using var _ = no_grad();
        var batch = Batch.Create(ModelTestKit.Sources(Vocab, 3, 6, 4), ModelTestKit.Sources(Vocab, 4, 5, 7), [0, 1]);
        Tensor Scores(Seq2SeqNetwork m) => m.Forward(batch.Source, batch.SourceLengths, batch.TargetIn!).Logits;
        // The ensemble's scores are the mean of the members' log-probabilities (which the searches renormalise).
        Assert.True(Scores(ensemble).allclose((Scores(copy).log_softmax(-1) + Scores(plain).log_softmax(-1)) / 2, atol: 1e-5));
    }

    [Fact]
    public void CopyAttentionLearnsToCopyRareTokensThatThePlainModelCannotYet()
    {
        // Copy random sequences over 400 ids: in 40 updates each id is seen about 15 times, too rarely for the plain
        // model to learn its embedding and output row, while copying needs only the attention to learn the alignment.
        const int vocab = 400, updates = 40;
        double Accuracy(bool copy, out double lastLoss)
        {
            manual_seed(11);
            var config = new ModelConfig
            {
                EmbeddingSize = 32, Dropout = 0.0, CopyAttention = copy,
                Encoder = new EncoderConfig { HiddenSize = 64, Layers = 1 },
                Decoder = new DecoderConfig { HiddenSize = 64, Layers = 1, InputFeeding = false },
            };
            using var model = ModelBuilder.Build(config, vocab, vocab);
            using var optimizer = optim.Adam(model.parameters(), 1e-2);
            lastLoss = double.NaN;
            for (int step = 0; step < updates; step++)
            {
                using var scope = NewDisposeScope();
                var sources = ModelTestKit.Sources(vocab, 100 + step, Enumerable.Repeat(5, 32).ToArray());
                var batch = Batch.Create(sources, sources, Enumerable.Range(0, 32).ToArray());
                optimizer.zero_grad();
                var output = model.TokenOutputs(batch.Source, batch.SourceLengths, batch.TargetIn!, batch.TargetOut!);
                lastLoss = TokenLoss.Backward(model, output, batch.TargetOut!, 0.1, 1.0 / batch.TargetTokens, rows: 64).item<float>() / batch.TargetTokens;
                optimizer.step();
            }
            model.eval();
            var test = ModelTestKit.Sources(vocab, 7, Enumerable.Repeat(5, 50).ToArray());
            var hyps = CorpusDecoder.Decode(new TorchDecodingBackend(model), test, new SearchOptions(BeamSize: 1), 50);
            return test.Zip(hyps).Sum(x => x.First.Zip(x.Second[0].Tokens).Count(y => y.First == y.Second)) / (50.0 * 5);
        }
        double plain = Accuracy(copy: false, out double plainLoss), copied = Accuracy(copy: true, out double copyLoss);
        Assert.True(double.IsFinite(plainLoss) && double.IsFinite(copyLoss));
        Assert.True(copied >= 0.8 && copied > plain + 0.4, $"token accuracy: copy {copied:P0}, plain {plain:P0}");
    }

    [Fact]
    public void ARunTrainsSavesLoadsAndBeamSearchesACopyModel()
    {
        using var task = new SyntheticTask(reverse: false, vocab: 30, train: 600);
        var config = task.Config(30, c => c with
        {
            Data = c.Data with { JointVocabulary = true },
            Model = c.Model with { CopyAttention = true },
            Training = c.Training with { LabelSmoothing = 0.1 },
        });
        var log = new List<string>();
        Trainer.Run(config, new TrainerOptions(false, log.Add));
        // The dev loss is the cross-entropy of the mixed distribution: finite, and below a uniform guess's.
        var line = Assert.Single(log, l => l.StartsWith("validation at step 30"));
        double devLoss = double.Parse(System.Text.RegularExpressions.Regex.Match(line, @"dev loss ([0-9.]+)").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(devLoss, 0, Math.Log(30));

        using var model = Seq2SeqModel.Load(config.RunDir);
        var sources = task.Pairs("test").Take(8).Select(p => p.Source).ToList();
        var beam = model.Translate(sources, beam: 3, nbest: 2);
        Assert.All(beam, t => Assert.True(t.NBest.Count == 2 && double.IsFinite(t.NBest[0].Score)));
        // The run's best checkpoint loads into a fresh copy model with identical outputs.
        using var again = Seq2SeqModel.Load(config.RunDir);
        Assert.Equal(beam.Select(t => t.Text), again.Translate(sources, beam: 3, nbest: 2).Select(t => t.Text));
    }

    [Fact]
    public void ANonJointVocabularyOrNoAttentionIsAConfigError()
    {
        using var task = new SyntheticTask(train: 20);
        var separate = task.Config(2, c => c with { Model = c.Model with { CopyAttention = true } });
        var e = Assert.Throws<ConfigException>(() => Trainer.Run(separate, new TrainerOptions(false, _ => { })));
        Assert.Contains("model.copy_attention", e.Message);
        Assert.Contains("data.joint_vocabulary", e.Message);

        var none = task.Config(2, c => c with
        {
            Data = c.Data with { JointVocabulary = true },
            Model = c.Model with { CopyAttention = true, Decoder = c.Model.Decoder with { Attention = "none" } },
        });
        e = Assert.Throws<ConfigException>(() => Trainer.Run(none, new TrainerOptions(false, _ => { })));
        Assert.Contains("model.decoder.attention", e.Message);

        var a = Assert.Throws<ArgumentException>(() => ModelTestKit.Model(Vocab, Vocab + 1, copy: true));
        Assert.Contains("data.joint_vocabulary", a.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ACheckpointLoadsOnlyIntoAModelWithTheSameCopySetting(bool savedWithCopy)
    {
        using var task = new SyntheticTask(train: 10);
        using var saved = ModelTestKit.Model(Vocab, Vocab, copy: savedWithCopy);
        using var other = ModelTestKit.Model(Vocab, Vocab, copy: !savedWithCopy);
        string path = Path.Combine(task.Dir, "model.ckpt");
        Checkpoint.Save(path, saved, null, new TrainingProgress { Step = 1 });
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadWeights(path, other));
        Assert.Contains("copyGate", e.Message);

        using var same = ModelTestKit.Model(Vocab, Vocab, seed: 9, copy: savedWithCopy);
        Checkpoint.LoadWeights(path, same);
        ModelTestKit.AssertSameDecodingAndParameters(saved, same, Vocab);
    }

    [Fact]
    public void OnnxExportRefusesACopyModelByName()
    {
        var config = new ModelConfig
        {
            EmbeddingSize = 16, CopyAttention = true,
            Encoder = new EncoderConfig { HiddenSize = 16, Layers = 1 },
            Decoder = new DecoderConfig { HiddenSize = 16, Layers = 1 },
        };
        using var model = ModelBuilder.Build(config, Vocab, Vocab);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExport.Build(config, model, Vocab));
        Assert.Contains("model.copy_attention", e.Message);
    }
}
