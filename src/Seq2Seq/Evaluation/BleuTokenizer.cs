namespace Seq2Seq.Evaluation;

/// <summary>
/// A BLEU tokenizer as sacreBLEU defines it: it rewrites a line into space-separated tokens, which BLEU then splits
/// with Python's <c>str.split()</c>. <see cref="Name"/> is the <c>tok:</c> field of the signature.
/// </summary>
public abstract class BleuTokenizer
{
    /// <summary>The names accepted by <see cref="FromName"/>, default first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["13a", "intl", "zh", "char", "none"];

    /// <summary>The tokenizer's name, as in the signature (<c>13a</c>, <c>intl</c>, <c>zh</c>, <c>char</c>, <c>none</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Tokenizes one line; the result's tokens are separated by spaces.</summary>
    public abstract string Tokenize(string line);

    /// <summary>The tokenizer with the given name.</summary>
    /// <exception cref="EvaluationInputException">The name is not one of <see cref="Names"/>.</exception>
    public static BleuTokenizer FromName(string name) => name switch
    {
        "13a" => new BleuTokenizer13a(),
        "intl" => new BleuTokenizerIntl(),
        "zh" => new BleuTokenizerZh(),
        "char" => new BleuTokenizerChar(),
        "none" => new BleuTokenizerNone(),
        _ => throw new EvaluationInputException(
            $"unknown tokenizer '{name}' (expected one of: {string.Join(", ", Names)})"),
    };
}
