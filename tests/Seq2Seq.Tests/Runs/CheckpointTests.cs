using Seq2Seq.Decoding;
using Seq2Seq.Runs;
using Seq2Seq.Tests.Models;
using Seq2Seq.Tests.Training;
using Seq2Seq.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Runs;

public class CheckpointTests
{
    [Fact]
    public void SaveThenLoadGivesIdenticalOutputs()
    {
        using var dir = new SyntheticTask(train: 10);
        using var a = ModelTestKit.Model(20, 15, seed: 1);
        using var b = ModelTestKit.Model(20, 15, seed: 2);
        string path = Path.Combine(dir.Dir, "m.ckpt");
        Checkpoint.Save(path, a, null, new TrainingProgress { Step = 7 });
        Assert.Equal(7, Checkpoint.Load(path, b).Step);

        ModelTestKit.AssertSameDecodingAndParameters(a, b, 20);
    }

    [Fact]
    public void LoadWeightsReadsTheWeightsAloneForInference()
    {
        // Inference (Seq2SeqModel.Load, translate, serve) loads weights without the training progress record, the
        // optimiser or the RNG state: LoadWeights gives the same model as Load and leaves the global RNG alone.
        using var dir = new SyntheticTask(train: 10);
        using var a = ModelTestKit.Model(20, 15, seed: 1);
        using var b = ModelTestKit.Model(20, 15, seed: 2);
        string path = Path.Combine(dir.Dir, "m.ckpt");
        Checkpoint.Save(path, a, null, new TrainingProgress { Step = 7 });
        torch.manual_seed(123);
        using var before = torch.random.get_rng_state();
        Checkpoint.LoadWeights(path, b);
        using var after = torch.random.get_rng_state();
        Assert.Equal(before.data<byte>().ToArray(), after.data<byte>().ToArray());

        ModelTestKit.AssertSameDecodingAndParameters(a, b, 20);
    }

    [Fact]
    public void WeightsOfAnotherModelShapeAreRejectedNamingTheParameters()
    {
        using var dir = new SyntheticTask(train: 10);
        using var general = ModelTestKit.Model(20, 15, attention: "general");
        using var dot = ModelTestKit.Model(20, 15, attention: "dot");
        using var biggerVocab = ModelTestKit.Model(21, 15, attention: "general");
        string path = Path.Combine(dir.Dir, "m.ckpt");
        Checkpoint.Save(path, general, null, new TrainingProgress());
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, dot));
        Assert.Contains("the model has no decoder.attention.score.keyLayer.weight", e.Message);
        Assert.StartsWith(path, e.Message);
        e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, biggerVocab));
        Assert.Contains("do not fit this model's configuration", e.Message);

        Checkpoint.Save(path, dot, null, new TrainingProgress());
        e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, general));
        Assert.Contains("the file lacks decoder.attention.score.keyLayer.weight", e.Message);
    }

    [Fact]
    public void CorruptOrTruncatedCheckpointsAreRejectedWithAReason()
    {
        using var dir = new SyntheticTask(train: 10);
        using var model = ModelTestKit.Model(20, 15);
        string path = Path.Combine(dir.Dir, "m.ckpt");
        Checkpoint.Save(path, model, null, new TrainingProgress());
        byte[] good = File.ReadAllBytes(path);

        File.WriteAllBytes(path, good[..(good.Length / 2)]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model)).Message);

        var flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, flipped);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model)).Message);

        File.WriteAllText(path, "hello");
        Assert.Contains("not a Seq2Seq.NET checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model)).Message);
    }

    [Fact]
    public void ResumedRunEndsWithTheSameParametersAsAnUninterruptedOne()
    {
        using var task = new SyntheticTask(train: 1500);
        // Dropout on, so the RNG state matters; validation (and a checkpoint) every 10 steps.
        var straight = task.Config(30, c => c with
        {
            Model = c.Model with { Dropout = 0.2 },
            Training = c.Training with { ValidateEvery = 10 },
        }, "straight");
        var rb = ResumeCheck.AssertResumeMatchesStraightRun(straight, Path.Combine(task.Dir, "resumed"), stopAt: 10);

        // The log of the resumed run has each validation step once.
        var validations = File.ReadLines(rb.Log).Where(l => l.Contains("\"validation\"")).ToList();
        Assert.Equal(3, validations.Count);
    }
}
