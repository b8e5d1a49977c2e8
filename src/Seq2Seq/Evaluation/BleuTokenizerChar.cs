using System.Text;

namespace Seq2Seq.Evaluation;

/// <summary>
/// sacreBLEU's <c>char</c> tokenizer: a space between every two code points, so each non-whitespace character
/// (an emoji or a character above U+FFFF included) becomes one token.
/// </summary>
public sealed class BleuTokenizerChar : BleuTokenizer
{
    /// <inheritdoc />
    public override string Name => "char";

    /// <inheritdoc />
    public override string Tokenize(string line)
    {
        var cps = CodePoints.Of(line);
        var sb = new StringBuilder(line.Length * 2);
        for (int i = 0; i < cps.Length; i++)
        {
            if (i > 0) sb.Append(' ');
            CodePoints.Append(sb, cps[i]);
        }
        return sb.ToString();
    }
}
