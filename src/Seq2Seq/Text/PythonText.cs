using System.Globalization;
using System.Text;

namespace Seq2Seq.Text;

/// <summary>
/// String operations exactly as Python 3 defines them, so our tokenisers and metrics agree with the PyTorch
/// reference and with sacreBLEU: <c>str.lower()</c> (full Unicode lowercasing) and <c>str.split()</c> (Python's
/// whitespace set).
/// </summary>
public static class PythonText
{
    /// <summary>True for the characters Python's <c>str.split()</c> treats as whitespace.</summary>
    public static bool IsWhitespace(int codePoint) => codePoint switch
    {
        // ASCII whitespace plus the information separators U+001C..U+001F, which Python counts and .NET does not.
        >= 0x09 and <= 0x0D or >= 0x1C and <= 0x20 => true,
        0x85 or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A) or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>Python's <c>s.split()</c>: split on runs of whitespace, no empty strings.</summary>
    public static List<string> Split(string s)
    {
        var parts = new List<string>();
        int start = -1;
        for (int i = 0; i < s.Length; i++)
        {
            if (IsWhitespace(s[i]))
            {
                if (start >= 0) { parts.Add(s[start..i]); start = -1; }
            }
            else if (start < 0) start = i;
        }
        if (start >= 0) parts.Add(s[start..]);
        return parts;
    }

    /// <summary>Python's <c>s.rstrip()</c>.</summary>
    public static string RStrip(string s)
    {
        int end = s.Length;
        while (end > 0 && IsWhitespace(s[end - 1])) end--;
        return end == s.Length ? s : s[..end];
    }

    /// <summary>
    /// Python's <c>s.lower()</c>. Differs from <see cref="string.ToLowerInvariant"/> in two places: 'İ' (U+0130)
    /// becomes "i̇" (i + U+0307), and a capital sigma at the end of a word becomes final sigma 'ς'.
    /// </summary>
    public static string Lower(string s)
    {
        bool plain = true;
        foreach (char c in s)
            if (c == '\u0130' || c == '\u03A3') { plain = false; break; }
        if (plain) return s.ToLowerInvariant();

        var sb = new StringBuilder(s.Length + 4);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\u0130') sb.Append("i\u0307");
            else if (c == '\u03A3') sb.Append(IsFinalSigma(s, i) ? 'ς' : 'σ');
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length)
            {
                sb.Append(s.Substring(i, 2).ToLowerInvariant());
                i++;
            }
            else sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    // Unicode's Final_Sigma condition: preceded by a cased letter and not followed by one, skipping
    // case-ignorable characters (approximated by combining marks and format characters) in both directions.
    static bool IsFinalSigma(string s, int i)
    {
        int j = i - 1;
        while (j >= 0 && IsCaseIgnorable(s[j])) j--;
        if (j < 0 || !IsCased(s[j])) return false;
        int k = i + 1;
        while (k < s.Length && IsCaseIgnorable(s[k])) k++;
        return k >= s.Length || !IsCased(s[k]);
    }

    static bool IsCased(char c) => char.IsUpper(c) || char.IsLower(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter;

    static bool IsCaseIgnorable(char c)
    {
        var cat = CharUnicodeInfo.GetUnicodeCategory(c);
        return cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
            || c is '\'' or '.' or ':' or '\u00B7' or '\u2019';
    }
}
