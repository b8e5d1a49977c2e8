namespace Seq2Seq.Data;

/// <summary>
/// A thread-safe cache of at most <see cref="Capacity"/> entries that, when full, forgets the least recently used one:
/// memory stays bounded whatever stream of keys arrives (a server's inputs), while the frequent keys stay cached.
/// </summary>
public sealed class LruCache<TKey, TValue> where TKey : notnull
{
    readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> map;
    readonly LinkedList<(TKey Key, TValue Value)> recency = new();   // most recently used first
    readonly Lock gate = new();

    public LruCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        map = new(comparer);
    }

    /// <summary>The most entries kept.</summary>
    public int Capacity { get; }

    public int Count { get { lock (gate) return map.Count; } }

    /// <summary>Looks a key up and, when found, marks it most recently used.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        lock (gate)
        {
            if (map.TryGetValue(key, out var node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>Adds an entry (a key already present keeps its value), forgetting the least recently used when full.</summary>
    public void Add(TKey key, TValue value)
    {
        lock (gate)
        {
            if (map.ContainsKey(key)) return;
            if (map.Count >= Capacity)
            {
                map.Remove(recency.Last!.Value.Key);
                recency.RemoveLast();
            }
            map[key] = recency.AddFirst((key, value));
        }
    }
}
