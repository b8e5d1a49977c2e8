using Seq2Seq.Configuration;

namespace Seq2Seq.Data;

/// <summary>
/// Subword units: the text is pre-tokenised by a base tokeniser (<c>word</c>, <c>jieba</c> or <c>space</c>), then each
/// token is split by learned <see cref="BpeMerges"/> ("lowest" → <c>low@@ est</c>). Detokenising glues the units of
/// each word back together and hands the words to the base tokeniser's <see cref="ITokenizer.Detokenize"/>.
/// </summary>
public sealed class BpeTokenizer(ITokenizer baseTokenizer, BpeMerges merges) : ITokenizer
{
    /// <summary>The kind name, "bpe".</summary>
    public const string KindName = TokenizerKinds.Bpe;

    /// <summary>The tokeniser that makes the words that BPE splits.</summary>
    public ITokenizer Base { get; } = baseTokenizer ?? throw new ArgumentNullException(nameof(baseTokenizer));

    /// <summary>The merges applied to each word.</summary>
    public BpeMerges Merges { get; } = merges ?? throw new ArgumentNullException(nameof(merges));

    /// <inheritdoc />
    public string Kind => KindName;

    /// <summary>Whether the base tokeniser lowercases.</summary>
    public bool Lowercase => Base.Lowercase;

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        var units = new List<string>();
        foreach (string word in Base.Tokenize(text)) units.AddRange(Merges.Segment(word));
        return units;
    }

    /// <summary>Glues the subword units into words, then detokenises those with the base tokeniser.</summary>
    public string Detokenize(IReadOnlyList<string> tokens) => Base.Detokenize(BpeMerges.JoinUnits(tokens));
}
