using System.Text;
using Seq2Seq.Configuration;
using Seq2Seq.Text;

namespace Seq2Seq.Data;

/// <summary>
/// The reference's character-level tokeniser: optional Python <c>lower()</c>, whitespace collapsed as
/// <c>" ".join(s.split())</c>, then every code point is a token and the space becomes <see cref="SpaceToken"/>.
/// </summary>
public sealed class CharTokenizer(bool lowercase) : ITokenizer
{
    /// <summary>The kind name, "char".</summary>
    public const string KindName = TokenizerKinds.Char;

    /// <summary>The token that stands for a space, "▁" (U+2581).</summary>
    public const string SpaceToken = "\u2581";

    static readonly string[] Ascii = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public bool Lowercase { get; } = lowercase;

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = PythonText.Split(Lowercase ? PythonText.Lower(text) : text);
        var tokens = new List<string>(text.Length);
        for (int w = 0; w < words.Count; w++)
        {
            if (w > 0) tokens.Add(SpaceToken);
            string word = words[w];
            for (int i = 0; i < word.Length;)
            {
                int width = UnicodeRules.CodePointWidth(word, i);
                tokens.Add(width == 1 && word[i] < 128 ? Ascii[word[i]] : word.Substring(i, width));
                i += width;
            }
        }
        return tokens;
    }

    /// <summary>Concatenates the tokens and turns <see cref="SpaceToken"/> back into spaces.</summary>
    public string Detokenize(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var sb = new StringBuilder();
        foreach (string token in tokens) sb.Append(token);
        return sb.Replace(SpaceToken, " ").ToString();
    }
}
