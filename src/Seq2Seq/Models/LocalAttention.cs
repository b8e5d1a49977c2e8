using Seq2Seq.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Local attention (Luong et al. 2015): only source positions within D of an aligned position p_t are attended.
/// <c>local-m</c>: p_t = t (clamped to the last real source position). <c>local-p</c>: p_t = S · sigmoid(v_pᵀ tanh(W_p h_t))
/// with S the sentence's source length, and the weights are multiplied by exp(−(s − p_t)² / (2σ²)), σ = D / 2.
/// Unlike the paper, the weights are renormalised over the window (computed as a softmax of score − (s − p_t)²/(2σ²)),
/// so every row sums to 1 like global attention's. Positions outside the window or the source are masked; the
/// whole batch and all target steps are handled at once.
/// </summary>
public sealed class LocalAttention : nn.Module, IAttention
{
    readonly AttentionScore? score;
    readonly Linear? wp;
    readonly Linear? vp;
    readonly bool predictive;
    readonly double window;

    /// <param name="scoreKind">dot, general or concat; null when the caller supplies the scores (hybrid attention).</param>
    public LocalAttention(string kind, string? scoreKind, int queryDim, int keyDim, int window) : base(nameof(LocalAttention))
    {
        if (!AttentionTypes.Local.Contains(kind)) throw new ArgumentException($"unknown local attention '{kind}' ({string.Join(", ", AttentionTypes.Local)})");
        if (window < 1) throw new ArgumentException("model.decoder.local_window must be at least 1");
        predictive = kind == AttentionTypes.LocalP;
        this.window = window;
        if (scoreKind is not null) score = AttentionScore.Create(scoreKind, queryDim, keyDim);
        if (predictive)
        {
            wp = nn.Linear(queryDim, queryDim, hasBias: false);
            vp = nn.Linear(queryDim, 1, hasBias: false);
        }
        RegisterComponents();
    }

    public Tensor Keys(Tensor encoderStates) => score!.Keys(encoderStates);

    public AttentionOutput Forward(Tensor query, Tensor keys, Tensor values, Tensor mask, int firstStep) =>
        ForwardWithScores(score!.Scores(query, keys), query, values, mask, firstStep);

    /// <summary>Local weights from precomputed raw scores [batch, tgtLen, srcLen] (shared with hybrid attention).</summary>
    public AttentionOutput ForwardWithScores(Tensor scores, Tensor query, Tensor values, Tensor mask, int firstStep)
    {
        var weights = Weights(scores, query, mask, firstStep);
        return new AttentionOutput(bmm(weights, values), weights);
    }

    /// <summary>The aligned positions p_t [batch, tgtLen] (float).</summary>
    public Tensor Positions(Tensor query, Tensor mask, int firstStep)
    {
        long batch = query.shape[0], tgtLen = query.shape[1];
        var lengths = mask.sum(1, type: ScalarType.Float32).unsqueeze(1);        // [batch, 1]
        if (predictive)
            return lengths * vp!.call(wp!.call(query).tanh()).squeeze(-1).sigmoid();  // [batch, tgtLen]
        var t = arange(firstStep, firstStep + tgtLen, dtype: ScalarType.Float32, device: query.device).unsqueeze(0);
        return minimum(t.expand(batch, tgtLen), lengths - 1);                   // [batch, tgtLen]
    }

    Tensor Weights(Tensor scores, Tensor query, Tensor mask, int firstStep)
    {
        long srcLen = scores.shape[2];
        var p = Positions(query, mask, firstStep).unsqueeze(2);                  // [batch, tgtLen, 1]
        var s = arange(srcLen, dtype: ScalarType.Float32, device: scores.device).view(1, 1, srcLen);
        var distance = s - p;                                                    // [batch, tgtLen, srcLen]
        var inWindow = distance.abs().le(window).logical_and(mask.unsqueeze(1));
        if (predictive)
        {
            double sigma = window / 2.0;
            scores = scores - distance.pow(2) / (2 * sigma * sigma);              // × Gaussian, in log space
        }
        return scores.masked_fill(inWindow.logical_not(), double.NegativeInfinity).softmax(-1);
    }
}
