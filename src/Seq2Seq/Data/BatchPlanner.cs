namespace Seq2Seq.Data;

/// <summary>
/// Groups sentence indices into batches with the reference's rules. A batch is an array of indices into the
/// corpus; a token budget is measured as (longest target length + 1 for &lt;/s&gt;) × (sentences).
/// </summary>
public static class BatchPlanner
{
    /// <summary>
    /// The training batches of one epoch: shuffle the indices, stable-sort them by (target length + 1, source
    /// length), pack greedily within <paramref name="batchTokens"/> (a single sentence over the budget forms its own
    /// batch), shuffle the batch order. The random numbers depend only on (<paramref name="seed"/>,
    /// <paramref name="epoch"/>), so a resumed run reproduces the epoch's batches exactly.
    /// </summary>
    public static List<int[]> TrainingBatches(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets,
        int batchTokens, int seed, int epoch)
    {
        Validate(sources, targets, batchTokens);
        var rng = new Random(unchecked(seed * 1_000_003 + epoch));
        int[] order = Enumerable.Range(0, sources.Count).ToArray();
        Shuffle(order, rng);
        SortByLength(order, sources, targets);
        var batches = Pack(order, targets, batchTokens);
        Shuffle(batches, rng);
        return batches;
    }

    /// <summary>Evaluation (dev) batches: indices sorted by (target length + 1, source length), packed, in order.</summary>
    public static List<int[]> EvaluationBatches(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets,
        int batchTokens)
    {
        Validate(sources, targets, batchTokens);
        int[] order = Enumerable.Range(0, sources.Count).ToArray();
        SortByLength(order, sources, targets);
        return Pack(order, targets, batchTokens);
    }

    /// <summary>
    /// Decoding batches: indices sorted by descending source length (ties in index order), in chunks of
    /// <paramref name="sentencesPerBatch"/>. Callers put the outputs back in index order.
    /// </summary>
    public static List<int[]> DecodingBatches(IReadOnlyList<int[]> sources, int sentencesPerBatch)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentOutOfRangeException.ThrowIfLessThan(sentencesPerBatch, 1);
        int[] order = Enumerable.Range(0, sources.Count).OrderByDescending(i => sources[i].Length).ToArray();
        return [.. order.Chunk(sentencesPerBatch)];
    }

    static void Validate(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets, int batchTokens)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        if (sources.Count != targets.Count)
            throw new ArgumentException($"{sources.Count} sources but {targets.Count} targets.", nameof(targets));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchTokens, 1);
    }

    // Fisher–Yates, written out so that the order does not depend on the runtime's Random.Shuffle implementation.
    static void Shuffle<T>(IList<T> items, Random rng)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    // Stable sort of `order` by (target length + 1, source length): ties keep their current relative order.
    static void SortByLength(int[] order, IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets)
    {
        var keys = new (int Target, int Source, int Position)[order.Length];
        for (int p = 0; p < order.Length; p++)
            keys[p] = (targets[order[p]].Length + 1, sources[order[p]].Length, p);
        Array.Sort(keys);
        int[] sorted = new int[order.Length];
        for (int p = 0; p < keys.Length; p++) sorted[p] = order[keys[p].Position];
        sorted.CopyTo(order, 0);
    }

    // Greedy packing: add sentences while (max target length + 1) × sentences stays within the budget.
    static List<int[]> Pack(int[] order, IReadOnlyList<int[]> targets, int batchTokens)
    {
        var batches = new List<int[]>();
        var current = new List<int>();
        int currentMax = 0;
        foreach (int i in order)
        {
            int length = targets[i].Length + 1;
            int max = Math.Max(currentMax, length);
            if (current.Count > 0 && (long)max * (current.Count + 1) > batchTokens)
            {
                batches.Add([.. current]);
                current.Clear();
                max = length;
            }
            current.Add(i);
            currentMax = max;
        }
        if (current.Count > 0) batches.Add([.. current]);
        return batches;
    }
}
