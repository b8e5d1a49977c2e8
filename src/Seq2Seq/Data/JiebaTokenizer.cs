using Seq2Seq.Configuration;
using Seq2Seq.Text;

namespace Seq2Seq.Data;

/// <summary>
/// Chinese word segmentation with jieba in accurate mode (dictionary and dynamic programming over its word graph, no
/// HMM for unknown words): "我爱吃苹果" gives <c>我 爱 吃 苹果</c>. Latin words and numbers stay whole, punctuation is a
/// token of its own, whitespace only separates. Output is joined with <see cref="ChineseDetokenizer"/>.
/// </summary>
public sealed class JiebaTokenizer : ITokenizer
{
    /// <summary>The kind name, "jieba".</summary>
    public const string KindName = TokenizerKinds.Jieba;

    /// <param name="lowercase">Lowercase (Python <c>str.lower()</c>) before segmenting.</param>
    /// <param name="userDictionary">A jieba user dictionary (<c>word [frequency] [tag]</c> per line) to add, or null.
    /// jieba has one dictionary per process: the words apply to every jieba tokeniser in it.</param>
    /// <exception cref="FileNotFoundException">The user dictionary does not exist.</exception>
    public JiebaTokenizer(bool lowercase, string? userDictionary = null)
    {
        Lowercase = lowercase;
        if (!string.IsNullOrEmpty(userDictionary)) JiebaResources.LoadUserDict(userDictionary);
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public bool Lowercase { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = Lowercase ? PythonText.Lower(text) : text;
        var tokens = new List<string>();
        var pieces = JiebaResources.Cut(s, hmm: false);
        for (int i = 0; i < pieces.Count; i++)
        {
            string piece = pieces[i];
            // jieba works on UTF-16 units and can cut a character outside the BMP (CJK Extension B: 𠀀) in half:
            // glue the halves back together.
            while (piece.Length > 0 && char.IsHighSurrogate(piece[^1]) && i + 1 < pieces.Count
                   && pieces[i + 1].Length > 0 && char.IsLowSurrogate(pieces[i + 1][0]))
                piece += pieces[++i];
            // jieba yields whitespace runs as tokens; a piece may also carry a line break.
            foreach (string t in PythonText.Split(piece)) tokens.Add(t);
        }
        return tokens;
    }

    /// <summary>Concatenates the tokens, keeping a space only between two Latin/number tokens.</summary>
    public string Detokenize(IReadOnlyList<string> tokens) => ChineseDetokenizer.Detokenize(tokens);
}
