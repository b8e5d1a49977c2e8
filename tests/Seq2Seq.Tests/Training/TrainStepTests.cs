using Seq2Seq.Data;
using Seq2Seq.Distributed;
using Seq2Seq.Runs;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Training;

/// <summary>One update in isolation: a finite one changes the weights and the optimiser's state, a non-finite one
/// leaves both untouched.</summary>
public class TrainStepTests
{
    static (TrainingSession Session, TrainStep Step, PreparedData Data) Open(SyntheticTask task, double clipNorm = 1.0)
    {
        var config = task.Config(0, c => c with { Training = c.Training with { ClipNorm = clipNorm } });
        var data = PreparedData.Load(config.Data, new RunDirectory(config.RunDir), null, _ => { });
        var session = TrainingSession.Open(config, data, TrainingSession.CheckedSchedule(config), null, CPU, _ => { });
        session.Model.train();
        var group = ProcessGroup.Open(config.Training.Distributed);
        return (session, new TrainStep(session, data.Train, config.Training, group, null, CPU), data);
    }

    /// <summary>Two training pairs whose targets differ in length, so that one of them is padded.</summary>
    static int[] PaddedBatch(PreparedData data)
    {
        var targets = data.Train.Targets;
        int other = Enumerable.Range(1, targets.Count - 1).First(i => targets[i].Length != targets[0].Length);
        return [0, other];
    }

    static Tensor[] Copy(TrainingSession session) => session.Parameters.Select(p => p.detach().clone()).ToArray();

    [Fact]
    public void AFiniteUpdateIsTakenAndCountsTheBatchsTokens()
    {
        using var task = new SyntheticTask(train: 60, dev: 10);
        var (session, step, data) = Open(task);
        using var _ = session;
        var before = Copy(session);
        int[] batch = PaddedBatch(data);

        var result = step.Take(batch, 1e-3, 1);

        Assert.True(result.Taken);
        Assert.True(float.IsFinite(result.Loss) && result.Loss > 0);
        Assert.True(result.GradNorm > 0);
        Assert.Equal(Batch.Create(data.Train.Sources, data.Train.Targets, batch, CPU).TargetTokens, result.Tokens);
        Assert.Contains(session.Parameters.Zip(before), pair => pair.First.ne(pair.Second).any().item<bool>());
        Assert.Equal(1e-3, session.Optimizer.ParamGroups.First().LearningRate);
    }

    [Fact]
    public void ANonFiniteGradientSkipsTheUpdateAndLeavesTheWeightsAndOptimiserUntouched()
    {
        using var task = new SyntheticTask(train: 60, dev: 10);
        var (session, step, data) = Open(task, clipNorm: 0);
        using var _ = session;
        step.Take(PaddedBatch(data), 1e-3, 1);   // one good step, so that Adam has state to keep
        // Poison the target embedding's padding row: read only after a sentence's end, where the loss ignores the
        // output, so the loss stays finite while the backward pass gives NaN gradients (as TrainingFaultTests does).
        var embedding = session.Model.named_parameters().Single(p => p.name.StartsWith("decoder") && p.name.Contains("embed")).parameter;
        using (no_grad()) embedding[Vocabulary.Pad].fill_(float.NaN);
        byte[] weightsBefore = Bytes(w => session.Model.save(w)), optimiserBefore = Bytes(session.Optimizer.save_state_dict);

        var result = step.Take(PaddedBatch(data), 1e-3, 2);

        Assert.False(result.Taken);
        Assert.True(float.IsFinite(result.Loss));
        Assert.False(double.IsFinite(result.GradNorm));
        Assert.Equal(weightsBefore, Bytes(w => session.Model.save(w)));           // NaN row included, bit for bit
        Assert.Equal(optimiserBefore, Bytes(session.Optimizer.save_state_dict));   // Adam's moments and step count
    }

    static byte[] Bytes(Action<BinaryWriter> save)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) save(writer);
        return stream.ToArray();
    }
}
