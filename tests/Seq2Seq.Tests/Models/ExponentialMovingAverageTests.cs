using Seq2Seq.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

public class ExponentialMovingAverageTests
{
    static void Fill(nn.Module model, double value)
    {
        using var _ = no_grad();
        foreach (var p in model.parameters()) p.fill_(value);
    }

    static Tensor[] Snapshot(nn.Module model) => model.parameters().Select(p => p.detach().clone()).ToArray();

    [Fact]
    public void TheAverageFollowsTheRecurrenceAndApplyRestoresTheRawWeightsExactly()
    {
        using var model = ModelTestKit.Model(12, 10, seed: 1);
        Fill(model, 2.0);
        using var ema = new ExponentialMovingAverage(model, 0.75);
        Fill(model, 4.0);
        ema.Update();                      // 0.75·2 + 0.25·4 = 2.5
        Fill(model, 6.0);
        ema.Update();                      // 0.75·2.5 + 0.25·6 = 3.375
        var raw = Snapshot(model);
        using (ema.Apply())
            foreach (var p in model.parameters())
                Assert.True(allclose(p, full_like(p, 3.375), rtol: 0, atol: 1e-6));
        var back = Snapshot(model);
        for (int i = 0; i < raw.Length; i++) Assert.True(raw[i].eq(back[i]).all().item<bool>());
    }

    [Fact]
    public void SavedAveragesLoadIntoAnotherAverageWithoutTouchingTheModelsWeights()
    {
        using var model = ModelTestKit.Model(12, 10, seed: 1);
        using var ema = new ExponentialMovingAverage(model, 0.9);
        Fill(model, 1.0);
        ema.Update();
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) ema.Save(model, w);

        using var other = ModelTestKit.Model(12, 10, seed: 2);
        var otherRaw = Snapshot(other);
        using var otherEma = new ExponentialMovingAverage(other, 0.9);
        stream.Position = 0;
        using (var r = new BinaryReader(stream)) otherEma.Load(other, r);
        var after = Snapshot(other);
        for (int i = 0; i < otherRaw.Length; i++) Assert.True(otherRaw[i].eq(after[i]).all().item<bool>());
        using (ema.Apply())
        {
            var expected = Snapshot(model);
            using (otherEma.Apply())
            {
                var actual = Snapshot(other);
                for (int i = 0; i < expected.Length; i++) Assert.True(expected[i].eq(actual[i]).all().item<bool>());
            }
        }
    }

    [Fact]
    public void EarlyUpdatesUseTheWarmUpDecaySoTheInitialWeightsAreForgotten()
    {
        using var model = ModelTestKit.Model(12, 10, seed: 1);
        Fill(model, 2.0);
        using var ema = new ExponentialMovingAverage(model, 0.999);
        Fill(model, 4.0);
        ema.Update(1);                     // decay min(0.999, 2/11): 2/11·2 + 9/11·4 = 40/11
        Fill(model, 6.0);
        ema.Update(100_000);               // decay 0.999 (the cap): 0.999·40/11 + 0.001·6
        double expected = 0.999 * 40.0 / 11 + 0.001 * 6;
        using (ema.Apply())
            foreach (var p in model.parameters())
                Assert.True(allclose(p, full_like(p, expected), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void ApplyRestoresAModelWithSharedAndTiedEmbeddings()
    {
        using var model = ModelTestKit.Transformer(12, 12, share: true, tie: true, seed: 1);
        Fill(model, 2.0);
        using var ema = new ExponentialMovingAverage(model, 0.5);
        Fill(model, 4.0);
        ema.Update();                      // 0.5·2 + 0.5·4 = 3
        using (ema.Apply())
            foreach (var p in model.parameters())
                Assert.True(allclose(p, full_like(p, 3.0), rtol: 0, atol: 1e-6));
        foreach (var p in model.parameters())
            Assert.True(allclose(p, full_like(p, 4.0), rtol: 0, atol: 0));
    }

    [Fact]
    public void ADecayOutsideZeroToOneIsRejected()
    {
        using var model = ModelTestKit.Model(12, 10, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(model, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(model, 0));
    }
}
