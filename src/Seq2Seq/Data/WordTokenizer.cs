using Seq2Seq.Configuration;
using Seq2Seq.Text;

namespace Seq2Seq.Data;

/// <summary>
/// The reference's word-level tokeniser ("punct"): optional Python <c>lower()</c>, then every code point whose
/// Unicode general category is P* or S* becomes a token of its own, then Python <c>split()</c>.
/// "God’s Spirit," gives <c>God ’ s Spirit ,</c>.
/// </summary>
public sealed class WordTokenizer(bool lowercase) : ITokenizer
{
    /// <summary>The kind name, "word".</summary>
    public const string KindName = TokenizerKinds.Word;

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public bool Lowercase { get; } = lowercase;

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = Lowercase ? PythonText.Lower(text) : text;
        var tokens = new List<string>();
        int start = -1; // start of the word being collected, or -1
        for (int i = 0; i < s.Length;)
        {
            int width = UnicodeRules.CodePointWidth(s, i);
            if (PythonText.IsWhitespace(s[i]))
            {
                if (start >= 0) { tokens.Add(s[start..i]); start = -1; }
            }
            else if (UnicodeRules.IsPunctuationOrSymbol(UnicodeRules.CodePointAt(s, i, width)))
            {
                if (start >= 0) { tokens.Add(s[start..i]); start = -1; }
                tokens.Add(s.Substring(i, width));
            }
            else if (start < 0)
            {
                start = i;
            }
            i += width;
        }
        if (start >= 0) tokens.Add(s[start..]);
        return tokens;
    }

    /// <summary>Renders the tokens as English text with <see cref="EnglishDetokenizer"/> ("I like apples ." → "I like apples.").</summary>
    public string Detokenize(IReadOnlyList<string> tokens) => EnglishDetokenizer.Detokenize(tokens);
}
