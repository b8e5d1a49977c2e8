using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Hybrid attention: per decoder step a learned gate mixes global and local weights,
/// α_t = g_t · α_global + (1 − g_t) · α_local, g_t = sigmoid(w_gᵀ h_t + b). Both share one score function; the gate
/// values come back with the output so they can be logged and plotted.
/// </summary>
public sealed class HybridAttention : nn.Module, IAttention
{
    readonly AttentionScore score;
    readonly LocalAttention local;
    readonly Linear gate;

    /// <summary>When set, the gate is fixed to this value (tests and ablations); null = learned.</summary>
    public double? ForcedGate { get; set; }

    public HybridAttention(string localKind, string scoreKind, int queryDim, int keyDim, int window) : base(nameof(HybridAttention))
    {
        score = AttentionScore.Create(scoreKind, queryDim, keyDim);
        local = new LocalAttention(localKind, null, queryDim, keyDim, window);
        gate = nn.Linear(queryDim, 1);
        RegisterComponents();
    }

    public Tensor Keys(Tensor encoderStates) => score.Keys(encoderStates);

    public AttentionOutput Forward(Tensor query, Tensor keys, Tensor values, Tensor mask, int firstStep)
    {
        var scores = score.Scores(query, keys);                                  // [batch, tgtLen, srcLen]
        var global = GlobalAttention.Normalize(scores, mask);
        var localWeights = local.ForwardWithScores(scores, query, values, mask, firstStep).Weights;
        var g = ForcedGate is double forced
            ? full(query.shape[0], query.shape[1], forced, device: query.device)
            : gate.call(query).squeeze(-1).sigmoid();                            // [batch, tgtLen]
        var gt = g.unsqueeze(2);
        var weights = gt * global + (1 - gt) * localWeights;
        return new AttentionOutput(bmm(weights, values), weights, g);
    }
}
