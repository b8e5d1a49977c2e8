namespace Seq2Seq.Data;

/// <summary>Turns a line of text into tokens and a token sequence back into a line.</summary>
public interface ITokenizer
{
    /// <summary>The name used in configuration: one of <see cref="Tokenizers.Kinds"/>.</summary>
    string Kind { get; }

    /// <summary>Whether text is lowercased (Python <c>str.lower()</c>) before tokenising.</summary>
    bool Lowercase { get; }

    /// <summary>Splits <paramref name="text"/> into tokens.</summary>
    IReadOnlyList<string> Tokenize(string text);

    /// <summary>Renders tokens as one output line (hypothesis files, BLEU input).</summary>
    string Detokenize(IReadOnlyList<string> tokens);
}
