namespace Seq2Seq.Data;

/// <summary>
/// Orders strings by Unicode code point, as Python compares <c>str</c> values. This differs from
/// <see cref="string.CompareOrdinal(string, string)"/>, which compares UTF-16 units and so puts a character above
/// U+FFFF (a surrogate pair, D800..DFFF) before U+E000..U+FFFF.
/// </summary>
public sealed class CodePointComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static CodePointComparer Instance { get; } = new();

    CodePointComparer() { }

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int n = Math.Min(x.Length, y.Length);
        int i = x.AsSpan(0, n).CommonPrefixLength(y.AsSpan(0, n));
        return i == n ? x.Length.CompareTo(y.Length) : Rank(x[i]).CompareTo(Rank(y[i]));
    }

    // Moves surrogates above U+E000..U+FFFF so that UTF-16 unit order becomes code point order at the first
    // difference (the same fix-up ICU uses).
    static int Rank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
