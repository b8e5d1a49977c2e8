namespace Seq2Seq.Data;

/// <summary>
/// Splits one global batch among the ranks of a data-parallel run: every rank plans the same global batches
/// (<see cref="BatchPlanner"/> with the same seed) and takes its part of each. The parts are contiguous runs of the
/// batch (which is sorted by length, so their padded shapes stay alike) with near-equal target tokens.
/// </summary>
public static class BatchSharding
{
    /// <summary>
    /// <paramref name="parts"/> contiguous parts of <paramref name="batch"/>, in order, that together are exactly the
    /// batch; each part's target tokens (length + 1 for &lt;/s&gt;) are as close to an equal share as whole sentences
    /// allow. Every part has a sentence when the batch has at least <paramref name="parts"/>; otherwise the last parts
    /// are empty.
    /// </summary>
    public static int[][] Split(IReadOnlyList<int> batch, IReadOnlyList<int[]> targets, int parts)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        int n = batch.Count;
        long total = TargetTokens(batch, targets);
        var result = new int[parts][];
        int start = 0;
        long before = 0;   // tokens of batch[0 .. start)
        for (int r = 0; r < parts; r++)
        {
            int end;
            if (r == parts - 1) end = n;
            else
            {
                // Take at least one sentence when one is left, and leave one for each later part when there are enough.
                int earliest = Math.Min(start + 1, n);
                int latest = Math.Max(earliest, n - (parts - 1 - r));
                double goal = total * (r + 1) / (double)parts;
                end = earliest;
                long tokens = before + Length(batch, targets, start, end);
                // Move the cut right while that brings the part's end closer to its share of the tokens.
                while (end < latest)
                {
                    long next = tokens + targets[batch[end]].Length + 1;
                    if (Math.Abs(next - goal) >= Math.Abs(tokens - goal)) break;
                    tokens = next;
                    end++;
                }
            }
            result[r] = [.. batch.Skip(start).Take(end - start)];
            before += Length(batch, targets, start, end);
            start = end;
        }
        return result;
    }

    /// <summary>Target tokens of the sentences of <paramref name="batch"/> (each length + 1 for &lt;/s&gt;), as
    /// counted by <c>Batch.TargetTokens</c>.</summary>
    public static int TargetTokens(IReadOnlyList<int> batch, IReadOnlyList<int[]> targets)
    {
        int tokens = 0;
        foreach (int i in batch) tokens += targets[i].Length + 1;
        return tokens;
    }

    static long Length(IReadOnlyList<int> batch, IReadOnlyList<int[]> targets, int from, int to)
    {
        long tokens = 0;
        for (int k = from; k < to; k++) tokens += targets[batch[k]].Length + 1;
        return tokens;
    }
}
