using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

/// <summary>training.device / --device: the names parse and are checked, and every tensor of a forward pass, a search
/// and a training step lives on the model's device. (No CUDA libtorch is available where these run, so they run on
/// the CPU device, named explicitly, and check that asking for CUDA without it is a clear error.)</summary>
public class DeviceTests
{
    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda")]
    [InlineData("cuda:1")]
    public void TheConfigAcceptsTheDeviceForms(string device) =>
        Assert.Equal(device, ConfigLoader.Load(RepoPaths.Of("configs", "bible-es-en.yaml"), [$"training.device={device}"]).Training.Device);

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("CPU")]
    [InlineData("cuda:-1")]
    public void TheConfigRejectsOtherDeviceNamesSayingWhatIsAccepted(string device)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(RepoPaths.Of("configs", "bible-es-en.yaml"), [$"training.device={device}"]));
        Assert.Contains("training.device", e.Message);
        Assert.Contains("cpu, cuda or cuda:N", e.Message);
    }

    [Fact]
    public void CpuResolvesAndCudaWithoutCudaIsAClearError()
    {
        Assert.Equal(DeviceType.CPU, ComputeDevice.Resolve("cpu").type);
        Assert.Contains("cpu, cuda or cuda:N", Assert.Throws<ConfigException>(() => ComputeDevice.Resolve("tpu")).Message);
        if (cuda.is_available()) return;   // a machine with a CUDA libtorch: nothing to refuse
        foreach (string name in new[] { "cuda", "cuda:0" })
        {
            var e = Assert.Throws<ConfigException>(() => ComputeDevice.Resolve(name, "--device"));
            Assert.StartsWith("--device: ", e.Message);
            Assert.Contains("torch.cuda.is_available() is false", e.Message);
        }
    }

    [Fact]
    public void TrainingOnCudaWithoutCudaStopsBeforeReadingData()
    {
        if (cuda.is_available()) return;
        using var task = new SyntheticTask(train: 20, dev: 5);
        var config = task.Config(maxSteps: 2, c => c with { Training = c.Training with { Device = "cuda" }, Data = c.Data with { Train = "/nonexistent/train.tsv" } });
        var e = Assert.Throws<ConfigException>(() => Trainer.Run(config, new TrainerOptions(false, _ => { })));
        Assert.StartsWith("training.device: cuda asked for", e.Message);
    }

    [Fact]
    public void TrainingWithTheCpuNamedExplicitlyRuns()
    {
        using var task = new SyntheticTask(train: 60, dev: 10);
        var result = Trainer.Run(task.Config(maxSteps: 3, c => c with { Training = c.Training with { Device = "cpu" } }), new TrainerOptions(false, _ => { }));
        Assert.False(result.Failed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryTensorOfAForwardPassSearchAndTrainingStepIsOnTheModelsDevice(bool transformer)
    {
        using var model = transformer ? ModelTestKit.Transformer(20, 15) : ModelTestKit.Model(20, 15, attention: "concat");
        model.MoveTo(ComputeDevice.Resolve("cpu"));
        var device = model.Device;
        var sources = ModelTestKit.Sources(20, 3, 5, 2, 7);
        var targets = ModelTestKit.Sources(15, 4, 3, 6, 1);
        using var scope = NewDisposeScope();
        var batch = Batch.Create(sources, targets, [0, 1, 2], device);
        foreach (var t in new[] { batch.Source, batch.TargetIn!, batch.TargetOut! }) Assert.Equal(device.type, t.device.type);
        Assert.Equal(DeviceType.CPU, batch.SourceLengths.device.type);   // stays on the CPU by design (Batch.SourceLengths)

        var (logits, weights, _) = model.Forward(batch.Source, batch.SourceLengths, batch.TargetIn!, returnWeights: true);
        Assert.Equal(device.type, logits.device.type);
        Assert.Equal(device.type, weights!.device.type);

        model.train();
        var loss = TokenLoss.Sum(model.TokenLogits(batch.Source, batch.SourceLengths, batch.TargetIn!, batch.TargetOut!), batch.TargetOut!, 0.1);
        loss.backward();
        Assert.All(model.parameters(), p => Assert.Equal(device.type, (p.grad ?? p).device.type));
        model.eval();

        // Searches build their tensors from the source's device; the corpus decoder and the scorer take the model's.
        var beams = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, new SearchOptions(BeamSize: 3, NBest: 2), 2);
        Assert.Equal(3, beams.Count);
        Assert.Equal(3, SequenceScorer.Score(new TorchDecodingBackend(model), sources, targets, 64).Count);
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void AMovedRecurrentLayerStepsWithItsMovedWeights(string cell)
    {
        // Module.to gives each moved parameter a new object (TorchSharp); the hand-written step must use those, not
        // references kept from construction. A dtype change takes the same path as a device change, and runs here.
        using var rnn = new RecurrentLayer(cell, 4, 6, 2, bidirectional: false, dropout: 0.0);
        rnn.to(ScalarType.Float64);
        var w = rnn.PrepareSteps();
        Assert.All(w.Tensors(), t => Assert.Equal(ScalarType.Float64, t.dtype));
        var state = new RnnState(zeros(2, 3, 6, dtype: ScalarType.Float64), cell == "lstm" ? zeros(2, 3, 6, dtype: ScalarType.Float64) : null);
        var (output, _) = rnn.Step(randn(3, 4, dtype: ScalarType.Float64), state, w);
        Assert.Equal(ScalarType.Float64, output.dtype);
    }

    [Fact]
    public void AModelWithTiedEmbeddingsIsRefusedOffTheCpu()
    {
        using var tied = ModelTestKit.Model(20, 16, tie: true);
        var e = Assert.Throws<ConfigException>(() => tied.MoveTo(new Device(DeviceType.CUDA, 0)));
        Assert.Contains("model.tie_target_embeddings", e.Message);
        using var shared = ModelTestKit.Transformer(20, 20, share: true);
        Assert.Throws<ConfigException>(() => shared.MoveTo(new Device(DeviceType.CUDA, 0)));
        tied.MoveTo(CPU);   // where it already is: nothing to do
        Assert.Equal(DeviceType.CPU, tied.Device.type);
    }
}
