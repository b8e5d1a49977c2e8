namespace Seq2Seq.Data;

/// <summary>One parallel sentence pair as read from a corpus file.</summary>
/// <param name="Source">The source-side text, untokenised.</param>
/// <param name="Target">The target-side text, untokenised.</param>
/// <param name="Line">The 1-based line number the pair came from.</param>
public sealed record SentencePair(string Source, string Target, int Line);
