namespace Seq2Seq.Evaluation;

/// <summary>sacreBLEU's <c>none</c> tokenizer: the line as it is (BLEU still splits it on whitespace).</summary>
public sealed class BleuTokenizerNone : BleuTokenizer
{
    /// <inheritdoc />
    public override string Name => "none";

    /// <inheritdoc />
    public override string Tokenize(string line) => line;
}
