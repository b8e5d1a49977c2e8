namespace Seq2Seq.Evaluation;

/// <summary>
/// Checks and reading shared by the corpus metrics: references come as one stream per reference, aligned with the
/// hypotheses. As in sacreBLEU 2.6, a null entry is an undefined reference (streams of different coverage give a
/// variable number of references per segment): it is dropped, the signature then says <c>nrefs:var</c>, and a segment
/// left with no reference is an error (sacreBLEU fails there too). An empty string is not undefined: it is a
/// reference of no words, and counts as one.
/// </summary>
internal static class ReferenceStreams
{
    /// <summary>The <c>nrefs</c> value of a signature when segments have different numbers of references.</summary>
    public const int Variable = -1;

    /// <exception cref="ArgumentException">There is no reference stream, or one's length differs from the hypotheses'.</exception>
    public static void CheckAligned(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> references)
    {
        ArgumentOutOfRangeException.ThrowIfZero(references.Count, nameof(references));
        foreach (var stream in references)
            if (stream.Count != hypotheses.Count)
                throw new ArgumentException(
                    $"a reference stream has {stream.Count} lines but there are {hypotheses.Count} hypotheses",
                    nameof(references));
    }

    /// <summary>The defined references of segment <paramref name="index"/> (0-based).</summary>
    /// <exception cref="ArgumentException">Every reference of the segment is null.</exception>
    public static string[] Segment(IReadOnlyList<IReadOnlyList<string?>> references, int index)
    {
        int defined = 0;
        foreach (var stream in references)
            if (stream[index] is not null) defined++;
        if (defined == 0) throw NoReference(index);
        var refs = new string[defined];
        int r = 0;
        foreach (var stream in references)
            if (stream[index] is { } reference) refs[r++] = reference;
        return refs;
    }

    /// <summary>The defined references of one segment, for sentence scores.</summary>
    /// <exception cref="ArgumentException">There is none.</exception>
    public static string[] Defined(IReadOnlyList<string?> references)
    {
        var refs = references.OfType<string>().ToArray();
        return refs.Length > 0 ? refs : throw NoReference(0);
    }

    /// <summary>The <c>nrefs</c> of the signature: the number of defined references if every segment has the same,
    /// else <see cref="Variable"/>.</summary>
    public static int Count(IReadOnlyList<IReadOnlyList<string?>> references, int segments)
    {
        int? count = null;
        for (int i = 0; i < segments; i++)
        {
            int defined = references.Count(s => s[i] is not null);
            if (count is null) count = defined;
            else if (count != defined) return Variable;
        }
        return count ?? references.Count;
    }

    /// <summary>The signature's text for <paramref name="count"/>.</summary>
    public static string Label(int count) => count == Variable ? "var" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);

    static ArgumentException NoReference(int index) =>
        new($"segment {index + 1} has no reference: every reference given for it is undefined (null); sacreBLEU 2.6 cannot score such a segment either");
}
