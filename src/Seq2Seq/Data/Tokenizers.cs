using Seq2Seq.Configuration;

namespace Seq2Seq.Data;

/// <summary>Creates tokenisers by kind name (the tokeniser of one side of a run, whose files live in the run
/// directory, comes from <c>Seq2Seq.Runs.RunTokenizers</c>).</summary>
public static class Tokenizers
{
    /// <summary>The valid kinds (<see cref="TokenizerKinds.All"/>).</summary>
    public static IReadOnlyList<string> Kinds => TokenizerKinds.All;

    /// <summary>The kinds that need no learned or loaded model (<see cref="TokenizerKinds.Plain"/>).</summary>
    public static IReadOnlyList<string> PlainKinds => TokenizerKinds.Plain;

    /// <summary>Creates a tokeniser of one of the <see cref="PlainKinds"/>.</summary>
    /// <param name="jiebaUserDict">For "jieba": a user dictionary to load, or null.</param>
    /// <exception cref="ArgumentException">The kind is unknown, or needs files (bpe, sentencepiece).</exception>
    public static ITokenizer Create(string kind, bool lowercase, string? jiebaUserDict = null) => kind switch
    {
        WordTokenizer.KindName => new WordTokenizer(lowercase),
        CharTokenizer.KindName => new CharTokenizer(lowercase),
        SpaceTokenizer.KindName => new SpaceTokenizer(lowercase),
        JiebaTokenizer.KindName => new JiebaTokenizer(lowercase, jiebaUserDict),
        BpeTokenizer.KindName or SentencePieceTokenizer.KindName => throw new ArgumentException(
            $"Tokenizer kind '{kind}' needs a model from a run directory; use RunTokenizers.Create (Seq2Seq.Runs) with the run directory.", nameof(kind)),
        _ => throw new ArgumentException(
            $"Unknown tokenizer kind '{kind}'; valid kinds are: {string.Join(", ", Kinds)}.", nameof(kind)),
    };

    /// <summary>The tokeniser that makes the words BPE learns from and splits on one side (with data.protected_pattern).</summary>
    /// <param name="jiebaUserDict">The run directory's copy of the jieba user dictionary, or null.</param>
    public static ITokenizer BpeBase(DataConfig data, TextSide side, string? jiebaUserDict) =>
        ProtectedTokenizer.Wrap(Create(BpeBaseOf(data, side), data.Lowercase, jiebaUserDict), data.ProtectedPattern);

    /// <summary>
    /// The tokeniser whose tokens the 'tokenized BLEU' and WER count: word-level rather than subword units (the BPE
    /// base tokeniser; for SentencePiece the <c>word</c> rule).
    /// </summary>
    public static ITokenizer ForScoring(ITokenizer tokenizer) => tokenizer switch
    {
        BpeTokenizer bpe => bpe.Base,
        SentencePieceTokenizer spm => new WordTokenizer(spm.Lowercase),
        _ => tokenizer,
    };

    /// <summary>The configured kind of one side.</summary>
    public static string KindOf(DataConfig data, TextSide side) => side == TextSide.Source ? data.SourceTokenizer : data.TargetTokenizer;

    /// <summary>The configured BPE base kind of one side.</summary>
    public static string BpeBaseOf(DataConfig data, TextSide side) => side == TextSide.Source ? data.SourceBpeBase : data.TargetBpeBase;

    /// <summary>Whether one set of merges serves both sides: joint_vocabulary with bpe on both.</summary>
    public static bool JointBpe(DataConfig data) =>
        data.JointVocabulary && data.SourceTokenizer == BpeTokenizer.KindName && data.TargetTokenizer == BpeTokenizer.KindName;
}
