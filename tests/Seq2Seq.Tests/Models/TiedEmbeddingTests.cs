using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Runs;
using Seq2Seq.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

/// <summary>model.tie_target_embeddings for the RNN decoder: one matrix for the target embeddings and the output layer,
/// seen once by the parameter count, the optimiser and gradient clipping, and twice (both names) in checkpoints.</summary>
public class TiedEmbeddingTests
{
    const int SrcVocab = 20, TgtVocab = 15, Hidden = 16;

    static IntPtr Storage(Tensor t) => t.storage<float>().data_ptr();

    [Fact]
    public void TheTiedMatrixIsOneParameter()
    {
        using var untied = ModelTestKit.Model(SrcVocab, TgtVocab);
        using var tied = ModelTestKit.Model(SrcVocab, TgtVocab, tie: true);
        var parameters = tied.parameters().ToList();
        Assert.Equal(parameters.Count, parameters.Select(Storage).Distinct().Count());
        Assert.Equal(untied.parameters().Count() - 1, parameters.Count);
        Assert.Equal(untied.ParameterCount() - TgtVocab * Hidden, tied.ParameterCount());

        // Checkpoints and exports keep both names (PyTorch's state_dict of a tied module has both, too).
        var sd = tied.state_dict();
        Assert.Equal(untied.state_dict().Keys.Order(), sd.Keys.Order());
        Assert.Equal(Storage(sd["decoder.embed.weight"]), Storage(sd["decoder.output.weight"]));
    }

    [Fact]
    public void OneTrainingStepUpdatesTheTiedMatrixOnce()
    {
        using var model = ModelTestKit.Model(SrcVocab, TgtVocab, tie: true);
        model.train();
        var sd = model.state_dict();
        Tensor embedding = sd["decoder.embed.weight"], output = sd["decoder.output.weight"];
        using var before = embedding.detach().clone();
        var parameters = model.parameters().ToList();
        const double lr = 0.01;
        using var optimizer = optim.Adam(parameters, lr);
        var batch = Batch.Create(ModelTestKit.Sources(SrcVocab, 3, 6, 4, 5), ModelTestKit.Sources(TgtVocab, 4, 5, 7, 3), [0, 1, 2]);
        optimizer.zero_grad();
        var logits = model.TokenLogits(batch.Source, batch.SourceLengths, batch.TargetIn!, batch.TargetOut!);
        var loss = TokenLoss.Sum(logits, batch.TargetOut!, labelSmoothing: 0);
        loss.backward();
        using var grad = embedding.grad!.detach().clone();          // the sum of both uses' gradients
        Assert.True(grad.abs().max().item<float>() > 0);

        // Clipping sees the matrix once: the total norm is that of the distinct parameters' gradients.
        double expectedNorm = Math.Sqrt(parameters.DistinctBy(Storage).Sum(p => p.grad is null ? 0 : p.grad.pow(2).sum().item<float>()));
        double norm = nn.utils.clip_grad_norm_(parameters, 1e9);
        Assert.Equal(expectedNorm, norm, 4);
        optimizer.step();

        // Still one matrix; Adam's first step moved it once: by lr · g / (|g| + eps).
        Assert.Equal(Storage(embedding), Storage(output));
        using var expected = before - lr * grad / (grad.abs() + 1e-8);
        Assert.True(embedding.allclose(expected, rtol: 0, atol: 1e-6),
            $"max |Δ| from one Adam update: {(embedding - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalOutputs()
    {
        using var task = new SyntheticTask(train: 10);
        using var a = ModelTestKit.Model(SrcVocab, TgtVocab, seed: 1, tie: true);
        using var b = ModelTestKit.Model(SrcVocab, TgtVocab, seed: 2, tie: true);
        string path = Path.Combine(task.Dir, "tied.ckpt");
        Checkpoint.Save(path, a, null, new TrainingProgress { Step = 3 });
        Checkpoint.Load(path, b);
        ModelTestKit.AssertSameDecodingAndParameters(a, b, SrcVocab);
        var sd = b.state_dict();
        Assert.Equal(Storage(sd["decoder.embed.weight"]), Storage(sd["decoder.output.weight"]));
    }

    [Fact]
    public void ResumingABeforeTheFixTiedCheckpointSaysWhyItCannot()
    {
        using var task = new SyntheticTask(train: 10);
        using var model = ModelTestKit.Model(SrcVocab, TgtVocab, tie: true);
        string path = Path.Combine(task.Dir, "old.ckpt");
        // Before the fix Adam held one state more: the output layer's separate handle on the tied matrix.
        using var extra = nn.Parameter(zeros(TgtVocab, Hidden));
        using (var old = optim.Adam(model.parameters().Append(extra), 0.01))
            Checkpoint.Save(path, model, old, new TrainingProgress { Step = 5 });
        using var optimizer = optim.Adam(model.parameters(), 0.01);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model, optimizer));
        Assert.Contains("model.tie_target_embeddings", e.Message);
        Assert.Equal(5, Checkpoint.Load(path, model).Step);                    // the weights alone still load
    }
}
