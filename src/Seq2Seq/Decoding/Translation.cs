namespace Seq2Seq.Decoding;

/// <summary>One candidate output for a source sentence.</summary>
/// <param name="Text">Detokenised output.</param>
/// <param name="Tokens">Output tokens (without &lt;/s&gt;).</param>
/// <param name="LogProb">log P(y|x) including the final &lt;/s&gt;.</param>
/// <param name="Score">log P divided by the GNMT length penalty (decoding.length_penalty), for greedy and beam search alike.</param>
/// <param name="Attention">Per output token (and &lt;/s&gt;) the weights over <see cref="Translation.SourceTokens"/>, when requested.</param>
/// <param name="Gates">Hybrid attention only, with <paramref name="Attention"/>: per output token (and &lt;/s&gt;) the
/// gate g_t, the global attention's share of the weights (1 = global, 0 = local).</param>
public sealed record TranslationCandidate(string Text, IReadOnlyList<string> Tokens, double LogProb, double Score, float[][]? Attention,
    float[]? Gates = null);

/// <summary>The result of translating one source sentence: its n-best list, best first.</summary>
public sealed record Translation(string Source, IReadOnlyList<string> SourceTokens, IReadOnlyList<TranslationCandidate> NBest)
{
    /// <summary>The best candidate's text.</summary>
    public string Text => NBest.Count > 0 ? NBest[0].Text : "";
}
