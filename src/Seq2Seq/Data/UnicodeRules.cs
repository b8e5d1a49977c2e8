using System.Globalization;

namespace Seq2Seq.Data;

/// <summary>Unicode character classes used by the tokenisers.</summary>
internal static class UnicodeRules
{
    /// <summary>True when the code point's general category is punctuation (P*) or a symbol (S*).</summary>
    public static bool IsPunctuationOrSymbol(int codePoint) =>
        CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation
            or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
            or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;

    /// <summary>
    /// The number of UTF-16 units of the code point at <paramref name="index"/>: 2 for a surrogate pair, else 1 (a
    /// lone surrogate is one unit, as it would be one character in Python).
    /// </summary>
    public static int CodePointWidth(string s, int index) =>
        char.IsHighSurrogate(s[index]) && index + 1 < s.Length && char.IsLowSurrogate(s[index + 1]) ? 2 : 1;

    /// <summary>The code point at <paramref name="index"/> (a lone surrogate is returned as itself).</summary>
    public static int CodePointAt(string s, int index, int width) =>
        width == 2 ? char.ConvertToUtf32(s[index], s[index + 1]) : s[index];
}
