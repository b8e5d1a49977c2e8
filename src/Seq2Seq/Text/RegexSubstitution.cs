namespace Seq2Seq.Text;

/// <summary>
/// The three shapes of Python <c>re.sub</c> call that sacreBLEU's tokenizers make, replayed over code points:
/// a one-character class padded with spaces, and two-character patterns <c>(A)(B)</c> rewritten to
/// <c>"\1 \2 "</c> or <c>" \1 \2"</c>. Matches are found left to right and never overlap, as in Python.
/// </summary>
internal static class RegexSubstitution
{
    /// <summary><c>re.sub(r'(X)', r' \1 ', s)</c> for a one-character class X.</summary>
    public static List<int> PadEach(IReadOnlyList<int> s, Func<int, bool> x)
    {
        var result = new List<int>(s.Count + 8);
        foreach (int c in s)
        {
            if (x(c)) { result.Add(' '); result.Add(c); result.Add(' '); }
            else result.Add(c);
        }
        return result;
    }

    /// <summary><c>re.sub(r'(A)(B)', r'\1 \2 ', s)</c>: a space between the pair and one after it.</summary>
    public static List<int> SpaceBetweenAndAfter(IReadOnlyList<int> s, Func<int, bool> a, Func<int, bool> b) =>
        Pairs(s, a, b, leadingSpace: false);

    /// <summary><c>re.sub(r'(A)(B)', r' \1 \2', s)</c>: a space before the pair and one between.</summary>
    public static List<int> SpaceBeforeAndBetween(IReadOnlyList<int> s, Func<int, bool> a, Func<int, bool> b) =>
        Pairs(s, a, b, leadingSpace: true);

    static List<int> Pairs(IReadOnlyList<int> s, Func<int, bool> a, Func<int, bool> b, bool leadingSpace)
    {
        var result = new List<int>(s.Count + 8);
        int i = 0;
        while (i < s.Count)
        {
            if (i + 1 < s.Count && a(s[i]) && b(s[i + 1]))
            {
                if (leadingSpace) result.Add(' ');
                result.Add(s[i]);
                result.Add(' ');
                result.Add(s[i + 1]);
                if (!leadingSpace) result.Add(' ');
                i += 2;
            }
            else
            {
                result.Add(s[i]);
                i++;
            }
        }
        return result;
    }
}
