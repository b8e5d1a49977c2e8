namespace Seq2Seq.Evaluation;

/// <summary>
/// sacreBLEU's <c>zh</c> tokenizer: strips the line, puts spaces around every character in sacreBLEU's "Chinese"
/// ranges, then applies the mteval punctuation rules of <c>13a</c> without its padding, unescaping or
/// <c>&lt;skipped&gt;</c> steps.
/// </summary>
/// <remarks>
/// The ranges are sacreBLEU's as Python evaluates them. Two of its entries were meant for supplementary planes but
/// are written as four-hex-digit escapes followed by a digit or letter, so they compare as BMP ranges:
/// U+2001–U+2A6D (general punctuation, arrows, maths, dingbats…) and U+2F81–U+2FA1. Characters above U+FFFF are
/// never treated as Chinese.
/// </remarks>
public sealed class BleuTokenizerZh : BleuTokenizer
{
    static readonly (int First, int Last)[] ChineseRanges =
    [
        (0x3400, 0x4DB5), (0x4E00, 0x9FA5), (0x9FA6, 0x9FBB), (0xF900, 0xFA2D), (0xFA30, 0xFA6A), (0xFA70, 0xFAD9),
        (0x2001, 0x2A6D), (0x2F81, 0x2FA1), (0xFF00, 0xFFEF), (0x2E80, 0x2EFF), (0x3000, 0x303F), (0x31C0, 0x31EF),
        (0x2F00, 0x2FDF), (0x2FF0, 0x2FFF), (0x3100, 0x312F), (0x31A0, 0x31BF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F),
        (0x2600, 0x26FF), (0x2700, 0x27BF), (0x3200, 0x32FF), (0x3300, 0x33FF),
    ];

    /// <inheritdoc />
    public override string Name => "zh";

    /// <summary>True for the code points sacreBLEU's <c>zh</c> tokenizer treats as Chinese characters.</summary>
    public static bool IsChinese(int codePoint)
    {
        foreach (var (first, last) in ChineseRanges)
            if (codePoint >= first && codePoint <= last) return true;
        return false;
    }

    /// <inheritdoc />
    public override string Tokenize(string line)
    {
        var stripped = PythonStrip(line);
        var spaced = new List<int>(stripped.Length * 2);
        foreach (int c in CodePoints.Of(stripped))
        {
            if (IsChinese(c)) { spaced.Add(' '); spaced.Add(c); spaced.Add(' '); }
            else spaced.Add(c);
        }
        return MtevalSplitting.Apply(CodePoints.ToText(spaced));
    }

    static string PythonStrip(string s)
    {
        int start = 0;
        while (start < s.Length && Text.PythonText.IsWhitespace(s[start])) start++;
        return Text.PythonText.RStrip(s[start..]);
    }
}
