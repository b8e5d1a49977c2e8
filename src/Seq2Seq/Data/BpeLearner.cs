namespace Seq2Seq.Data;

/// <summary>
/// Learns BPE merges from word counts (Sennrich, Haddow and Birch 2016): start from code points with an end-of-word
/// marker on each word's last one, then repeatedly merge the most frequent adjacent pair. Pair counts are kept and
/// updated only for the words that contain the merged pair, with a lazily updated priority queue, so 8,000 merges over
/// a 30k-sentence corpus take seconds. Ties go to the ordinally smallest pair (left, then right), so the result is
/// deterministic. Learning stops early when no pair occurs <see cref="MinPairCount"/> times.
/// </summary>
public static class BpeLearner
{
    /// <summary>A pair must occur at least this often (counting word frequencies) to be merged.</summary>
    public const int MinPairCount = 2;

    /// <summary>Learns up to <paramref name="mergeCount"/> merges from words and their frequencies.</summary>
    public static BpeMerges Learn(IReadOnlyDictionary<string, long> wordCounts, int mergeCount)
    {
        ArgumentNullException.ThrowIfNull(wordCounts);
        ArgumentOutOfRangeException.ThrowIfNegative(mergeCount);
        var words = wordCounts.Where(kv => kv.Key.Length > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Symbols: BpeMerges.Symbols(kv.Key), Count: kv.Value)).ToList();
        var counts = new Dictionary<(string, string), long>();
        var where = new Dictionary<(string, string), HashSet<int>>();
        var queue = new PriorityQueue<(string Left, string Right), (long Count, string Left, string Right)>(QueueOrder.Instance);
        var changed = new HashSet<(string, string)>();

        void Count(int w, int sign)
        {
            var (symbols, n) = words[w];
            for (int i = 0; i + 1 < symbols.Count; i++)
            {
                var pair = (symbols[i], symbols[i + 1]);
                counts[pair] = counts.GetValueOrDefault(pair) + sign * n;
                changed.Add(pair);
                if (sign > 0)
                {
                    if (!where.TryGetValue(pair, out var set)) where[pair] = set = [];
                    set.Add(w);
                }
            }
        }

        for (int w = 0; w < words.Count; w++) Count(w, +1);
        Push();

        var merges = new List<(string, string)>(mergeCount);
        while (merges.Count < mergeCount && queue.TryDequeue(out var pair, out var entry))
        {
            if (counts.GetValueOrDefault(pair) != entry.Count) continue;   // stale entry
            if (entry.Count < MinPairCount) break;
            merges.Add(pair);
            foreach (int w in where[pair].ToArray())
            {
                var symbols = words[w].Symbols;
                if (!Contains(symbols, pair.Left, pair.Right)) continue;
                Count(w, -1);
                BpeMerges.MergeAll(symbols, pair.Left, pair.Right);
                Count(w, +1);
            }
            counts.Remove(pair);
            where.Remove(pair);
            changed.Remove(pair);
            Push();
        }
        return new BpeMerges(merges);

        void Push()
        {
            foreach (var p in changed)
            {
                long c = counts.GetValueOrDefault(p);
                if (c > 0) queue.Enqueue(p, (c, p.Item1, p.Item2));
                else { counts.Remove(p); where.Remove(p); }
            }
            changed.Clear();
        }
    }

    /// <summary>Counts the whitespace-free tokens of a corpus (already pre-tokenised).</summary>
    public static Dictionary<string, long> CountWords(IEnumerable<IReadOnlyList<string>> tokenLists)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var tokens in tokenLists)
            foreach (string t in tokens)
                counts[t] = counts.GetValueOrDefault(t) + 1;
        return counts;
    }

    static bool Contains(List<string> symbols, string left, string right)
    {
        for (int i = 0; i + 1 < symbols.Count; i++)
            if (symbols[i] == left && symbols[i + 1] == right) return true;
        return false;
    }

    // Highest count first; among equal counts the ordinally smallest pair.
    sealed class QueueOrder : IComparer<(long Count, string Left, string Right)>
    {
        public static readonly QueueOrder Instance = new();

        public int Compare((long Count, string Left, string Right) x, (long Count, string Left, string Right) y)
        {
            int c = y.Count.CompareTo(x.Count);
            if (c != 0) return c;
            c = string.CompareOrdinal(x.Left, y.Left);
            return c != 0 ? c : string.CompareOrdinal(x.Right, y.Right);
        }
    }
}
