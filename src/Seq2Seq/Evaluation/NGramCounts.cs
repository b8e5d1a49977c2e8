namespace Seq2Seq.Evaluation;

/// <summary>
/// n-gram multisets as sacreBLEU builds them: word n-grams over tokens (keys are the tokens joined by a space, which
/// no token contains) and character n-grams over code points.
/// </summary>
internal static class NGramCounts
{
    /// <summary>Counts of all word n-grams of orders 1..<paramref name="maxOrder"/>, keyed by the joined n-gram.</summary>
    public static Dictionary<string, int> AllWordNGrams(IReadOnlyList<string> tokens, int maxOrder)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 1; n <= maxOrder; n++) AddWordNGrams(counts, tokens, n);
        return counts;
    }

    /// <summary>Counts of the word n-grams of exactly order <paramref name="n"/>.</summary>
    public static Dictionary<string, int> WordNGrams(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        AddWordNGrams(counts, tokens, n);
        return counts;
    }

    /// <summary>Counts of the character n-grams of order <paramref name="n"/> over the code points of <paramref name="text"/>.</summary>
    public static Dictionary<string, int> CharNGrams(string text, int[] codePointStarts, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int length = codePointStarts.Length - 1;
        for (int i = 0; i + n <= length; i++)
        {
            var key = text[codePointStarts[i]..codePointStarts[i + n]];
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    /// <summary>UTF-16 offsets of each code point of <paramref name="text"/>, plus the text's length at the end.</summary>
    public static int[] CodePointStarts(string text)
    {
        var starts = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            starts.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
        }
        starts.Add(text.Length);
        return starts.ToArray();
    }

    static void AddWordNGrams(Dictionary<string, int> counts, IReadOnlyList<string> tokens, int n)
    {
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            var key = n == 1 ? tokens[i] : string.Join(' ', tokens.Skip(i).Take(n));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
    }
}
