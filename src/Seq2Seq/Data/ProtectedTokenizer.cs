using System.Text.RegularExpressions;

namespace Seq2Seq.Data;

/// <summary>
/// Keeps the matches of a pattern whole: each match (a format placeholder such as <c>%s</c>, <c>%1$d</c> or
/// <c>{0}</c>) becomes one token, exactly as written (not lowercased), and the text between matches goes to the inner
/// tokeniser. Without it the <c>word</c> tokeniser splits <c>%s</c> into <c>%</c> and <c>s</c>, and detokenising
/// gives <c>% s</c>: a broken placeholder in a software string. Detokenising is the inner tokeniser's (a match is a
/// multi-character token, so it keeps a space on each side). Set from <c>data.protected_pattern</c>.
/// </summary>
public sealed class ProtectedTokenizer(ITokenizer inner, Regex pattern) : ITokenizer
{
    /// <summary>The tokeniser of the text between matches.</summary>
    public ITokenizer Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>What is kept whole.</summary>
    public Regex Pattern { get; } = pattern ?? throw new ArgumentNullException(nameof(pattern));

    /// <inheritdoc />
    public string Kind => Inner.Kind;

    /// <inheritdoc />
    public bool Lowercase => Inner.Lowercase;

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        int at = 0;
        foreach (Match m in Pattern.Matches(text))
        {
            if (m.Length == 0) continue;                      // a pattern that can match nothing protects nothing there
            if (m.Index > at) tokens.AddRange(Inner.Tokenize(text[at..m.Index]));
            tokens.Add(m.Value);
            at = m.Index + m.Length;
        }
        if (at < text.Length) tokens.AddRange(Inner.Tokenize(text[at..]));
        return tokens;
    }

    /// <inheritdoc />
    public string Detokenize(IReadOnlyList<string> tokens) => Inner.Detokenize(tokens);

    /// <summary>Wraps <paramref name="tokenizer"/> when <paramref name="pattern"/> is not empty.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid .NET regular expression.</exception>
    public static ITokenizer Wrap(ITokenizer tokenizer, string? pattern) =>
        string.IsNullOrEmpty(pattern) ? tokenizer : new ProtectedTokenizer(tokenizer, Compile(pattern));

    /// <summary>The pattern as a regex (culture-invariant, with a match timeout so a pathological pattern cannot hang a run).</summary>
    /// <exception cref="ArgumentException">Not a valid .NET regular expression.</exception>
    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
