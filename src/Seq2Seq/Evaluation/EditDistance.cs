namespace Seq2Seq.Evaluation;

/// <summary>Levenshtein distance between two sequences (insertions, deletions and substitutions cost 1).</summary>
public static class EditDistance
{
    /// <summary>The edit distance between <paramref name="a"/> and <paramref name="b"/>, elements compared with the default equality.</summary>
    public static int Compute<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        var comparer = EqualityComparer<T>.Default;
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (int j = 0; j <= b.Count; j++) previous[j] = j;
        for (int i = 1; i <= a.Count; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Count; j++)
            {
                int substitution = previous[j - 1] + (comparer.Equals(a[i - 1], b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }
}
