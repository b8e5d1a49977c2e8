using Seq2Seq.Configuration;

namespace Seq2Seq.Decoding;

/// <summary>One output sequence of a search.</summary>
/// <param name="Tokens">Target ids without &lt;s&gt; and &lt;/s&gt;.</param>
/// <param name="LogProb">log P(y|x), summed over the tokens and the final &lt;/s&gt; when it was produced.</param>
/// <param name="Score">LogProb divided by the GNMT length penalty ((5 + |y|) / 6)^α, |y| counting &lt;/s&gt; and α
/// <see cref="SearchOptions.LengthPenalty"/>: what beam search ranks by, and the same figure for greedy output (equal to
/// LogProb when α = 0).</param>
/// <param name="Attention">Per output step (incl. &lt;/s&gt;) the attention weights over the source positions, when requested.</param>
/// <param name="Gates">With the attention, a hybrid-attention model's gate per output step where the backend's step
/// gives it (ONNX Runtime); null otherwise.</param>
public sealed record Hypothesis(int[] Tokens, double LogProb, double Score, float[][]? Attention = null, float[]? Gates = null);

/// <summary>Search settings shared by greedy and beam search.</summary>
/// <param name="MaxLengthRatio">Output length limit a in floor(a · srcLen + b) (&lt;/s&gt; not counted).</param>
/// <param name="MaxLengthOffset">b in the same formula.</param>
public sealed record SearchOptions(int BeamSize = 5, int NBest = 1, double LengthPenalty = 1.0,
    double MaxLengthRatio = 1.5, double MaxLengthOffset = 10, bool ReturnAttention = false, string BeamStop = BeamStops.Exact)
{
    /// <summary>Maximum output length for a source of <paramref name="sourceLength"/> tokens.</summary>
    public int MaxLength(long sourceLength) => Math.Max(1, (int)Math.Floor(sourceLength * MaxLengthRatio + MaxLengthOffset));

    /// <summary>The search a run's <c>decoding</c> section describes: the one place its keys become search settings.</summary>
    /// <param name="beam">Beam size; null = decoding.beam_size (1 = greedy).</param>
    public static SearchOptions From(DecodingConfig d, int? beam = null, int nbest = 1, bool attention = false) =>
        new(beam ?? d.BeamSize, nbest, d.LengthPenalty, d.MaxLengthRatio, d.MaxLengthOffset, attention, d.BeamStop);
}
