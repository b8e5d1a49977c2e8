using System.Text;

namespace Seq2Seq.Evaluation;

/// <summary>
/// Converts between .NET strings (UTF-16) and arrays of Unicode code points, the unit Python's <c>str</c> indexes by.
/// A lone surrogate, which valid UTF-8 input never yields, is kept as a code point of its own.
/// </summary>
internal static class CodePoints
{
    public static int[] Of(string s)
    {
        var result = new List<int>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                result.Add(char.ConvertToUtf32(c, s[i + 1]));
                i++;
            }
            else result.Add(c);
        }
        return result.ToArray();
    }

    public static string ToText(IReadOnlyList<int> codePoints)
    {
        var sb = new StringBuilder(codePoints.Count);
        foreach (int cp in codePoints) Append(sb, cp);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, int codePoint)
    {
        if (codePoint < 0x10000) sb.Append((char)codePoint);
        else sb.Append(char.ConvertFromUtf32(codePoint));
    }

    /// <summary>Unicode general category of a code point (lone surrogates report <see cref="System.Globalization.UnicodeCategory.Surrogate"/>).</summary>
    public static System.Globalization.UnicodeCategory Category(int codePoint) =>
        Rune.IsValid(codePoint)
            ? Rune.GetUnicodeCategory(new Rune(codePoint))
            : System.Globalization.UnicodeCategory.Surrogate;
}
