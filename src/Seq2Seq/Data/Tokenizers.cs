namespace Seq2Seq.Data;

/// <summary>Creates tokenisers by kind name.</summary>
public static class Tokenizers
{
    /// <summary>The valid kinds: "word", "char", "space".</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        [WordTokenizer.KindName, CharTokenizer.KindName, SpaceTokenizer.KindName];

    /// <summary>Creates the tokeniser of the given kind.</summary>
    /// <exception cref="ArgumentException">The kind is not one of <see cref="Kinds"/>.</exception>
    public static ITokenizer Create(string kind, bool lowercase) => kind switch
    {
        WordTokenizer.KindName => new WordTokenizer(lowercase),
        CharTokenizer.KindName => new CharTokenizer(lowercase),
        SpaceTokenizer.KindName => new SpaceTokenizer(lowercase),
        _ => throw new ArgumentException(
            $"Unknown tokenizer kind '{kind}'; valid kinds are: {string.Join(", ", Kinds)}.", nameof(kind)),
    };
}
