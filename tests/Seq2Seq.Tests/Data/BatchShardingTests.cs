using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class BatchShardingTests
{
    [Fact]
    public void ThePartsAreExactlyTheGlobalBatchWithNearEqualTokens()
    {
        var rng = new Random(3);
        var targets = Enumerable.Range(0, 2000).Select(_ => new int[rng.Next(0, 40)]).ToList();
        var sources = targets.Select(_ => new int[1]).ToList();
        foreach (var batch in BatchPlanner.TrainingBatches(sources, targets, 600, seed: 5, epoch: 0))
            for (int parts = 1; parts <= 5; parts++)
            {
                var split = BatchSharding.Split(batch, targets, parts);
                Assert.Equal(parts, split.Length);
                Assert.Equal(batch, split.SelectMany(p => p));
                Assert.Equal(BatchSharding.TargetTokens(batch, targets), split.Sum(p => BatchSharding.TargetTokens(p, targets)));
                if (batch.Length < parts) continue;
                Assert.All(split, p => Assert.NotEmpty(p));
                int longest = batch.Max(i => targets[i].Length + 1);
                double share = BatchSharding.TargetTokens(batch, targets) / (double)parts;
                // Each cut is within one sentence of its ideal place, so a part is within two sentences of its share.
                Assert.All(split, p => Assert.InRange(BatchSharding.TargetTokens(p, targets), share - 2 * longest, share + 2 * longest));
            }
    }

    [Fact]
    public void ABatchSmallerThanThePartsLeavesTheLastPartsEmpty()
    {
        var targets = new List<int[]> { new int[3], new int[4] };
        var split = BatchSharding.Split([1, 0], targets, 4);
        Assert.Equal([[1], [0], [], []], split);
        Assert.Equal([[1, 0]], BatchSharding.Split([1, 0], targets, 1));
        Assert.Equal([[]], BatchSharding.Split([], targets, 1));
    }
}
