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

    // Unicode's Final_Sigma condition: preceded by a cased letter and not followed by one, skipping case-ignorable
    // characters in both directions. Walks code points, so letters and marks above U+FFFF count too.
    static bool IsFinalSigma(string s, int i)
    {
        int j = i;
        int before = -1;
        while (j > 0)
        {
            int cp = CodePointBefore(s, j, out int width);
            j -= width;
            if (!IsCaseIgnorable(cp)) { before = cp; break; }
        }
        if (before < 0 || !IsCased(before)) return false;
        int k = i + 1;
        while (k < s.Length)
        {
            int cp = char.IsSurrogatePair(s, k) ? char.ConvertToUtf32(s[k], s[k + 1]) : s[k];
            k += cp > 0xFFFF ? 2 : 1;
            if (!IsCaseIgnorable(cp)) return !IsCased(cp);
        }
        return true;
    }

    static int CodePointBefore(string s, int end, out int width)
    {
        if (end >= 2 && char.IsSurrogatePair(s[end - 2], s[end - 1]))
        {
            width = 2;
            return char.ConvertToUtf32(s[end - 2], s[end - 1]);
        }
        width = 1;
        return s[end - 1];
    }

    // Unicode's Cased property: Lu, Ll, Lt, plus Other_Uppercase/Other_Lowercase characters. Those mostly have a
    // case mapping (Roman numerals, circled letters); the exceptions are ª, º, the squared and negative
    // circled/squared Latin capitals U+1F130..U+1F189, and modifier letters, which are case-ignorable anyway.
    static bool IsCased(int cp)
    {
        if (cp is 0xAA or 0xBA or >= 0x1F130 and <= 0x1F149 or >= 0x1F150 and <= 0x1F169 or >= 0x1F170 and <= 0x1F189)
            return true;
        if (char.IsSurrogate((char)cp) && cp <= 0xFFFF) return false;
        var cat = CharUnicodeInfo.GetUnicodeCategory(cp);
        if (cat is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter)
            return true;
        var rune = new Rune(cp);
        return Rune.ToLowerInvariant(rune) != rune || Rune.ToUpperInvariant(rune) != rune;
    }

    // Unicode's Case_Ignorable property: Mn, Me, Cf, Lm, Sk, plus the Word_Break classes MidLetter, MidNumLet and
    // Single_Quote.
    static bool IsCaseIgnorable(int cp)
    {
        if (char.IsSurrogate((char)cp) && cp <= 0xFFFF) return false;
        var cat = CharUnicodeInfo.GetUnicodeCategory(cp);
        return cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
            || cp is '\'' or '.' or ':' or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
                or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
    }
}
