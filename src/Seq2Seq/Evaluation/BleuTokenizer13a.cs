namespace Seq2Seq.Evaluation;

/// <summary>
/// sacreBLEU's default tokenizer <c>13a</c> (mteval-v13a): removes the literal <c>&lt;skipped&gt;</c>, unescapes
/// <c>&amp;quot;</c>, <c>&amp;amp;</c>, <c>&amp;lt;</c> and <c>&amp;gt;</c> (in that order), pads the line with a space
/// on each side and applies the mteval punctuation rules. So <c>3.14</c> and <c>1,000</c> stay whole, <c>U.S.</c>
/// becomes <c>U . S .</c>, <c>10-15</c> becomes <c>10 - 15</c> and <c>well-known</c> stays.
/// </summary>
public sealed class BleuTokenizer13a : BleuTokenizer
{
    /// <inheritdoc />
    public override string Name => "13a";

    /// <inheritdoc />
    public override string Tokenize(string line)
    {
        line = line.Replace("<skipped>", "", StringComparison.Ordinal)
            .Replace("-\n", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);
        if (line.Contains('&'))
        {
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal)
                .Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal)
                .Replace("&gt;", ">", StringComparison.Ordinal);
        }
        return MtevalSplitting.Apply(" " + line + " ");
    }
}
