using Seq2Seq.Configuration;
using Seq2Seq.Text;

namespace Seq2Seq.Data;

/// <summary>The reference's "space" tokeniser: optional Python <c>lower()</c>, then Python <c>split()</c>.</summary>
public sealed class SpaceTokenizer(bool lowercase) : ITokenizer
{
    /// <summary>The kind name, "space".</summary>
    public const string KindName = TokenizerKinds.Space;

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public bool Lowercase { get; } = lowercase;

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PythonText.Split(Lowercase ? PythonText.Lower(text) : text);
    }

    /// <summary>Joins the tokens with single spaces.</summary>
    public string Detokenize(IReadOnlyList<string> tokens) => string.Join(' ', tokens);
}
