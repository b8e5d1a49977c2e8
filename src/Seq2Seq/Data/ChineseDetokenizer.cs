using System.Text;

namespace Seq2Seq.Data;

/// <summary>
/// Renders segmented Chinese as text: tokens are concatenated without spaces, except that a space is kept between two
/// tokens that meet with a Latin letter or digit on both sides ("WAV 文件" → "WAV文件", "hello" "world" → "hello world").
/// </summary>
public static class ChineseDetokenizer
{
    /// <summary>Joins <paramref name="tokens"/> as described above.</summary>
    public static string Detokenize(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var sb = new StringBuilder();
        foreach (string token in tokens)
        {
            if (token.Length == 0) continue;
            if (sb.Length > 0 && IsLatinOrDigit(sb[^1]) && IsLatinOrDigit(token[0])) sb.Append(' ');
            sb.Append(token);
        }
        return sb.ToString();
    }

    // ASCII letters and digits, and the Latin-1/Latin Extended letters (é, ß, ą ...).
    static bool IsLatinOrDigit(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' || (c is >= '\u00C0' and <= '\u024F' && char.IsLetter(c));
}
