using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary><c>concat</c> (Luong): vᵀ tanh(W_q q + W_k e), with W_k e computed once per batch as the keys.</summary>
public sealed class ConcatScore : AttentionScore
{
    readonly Linear keyLayer;
    readonly Linear queryLayer;
    readonly Linear v;

    public ConcatScore(int queryDim, int keyDim)
    {
        keyLayer = nn.Linear(keyDim, queryDim, hasBias: false);
        queryLayer = nn.Linear(queryDim, queryDim, hasBias: false);
        v = nn.Linear(queryDim, 1, hasBias: false);
        RegisterComponents();
    }

    public override Tensor Keys(Tensor encoderStates) => keyLayer.call(encoderStates);          // [batch, srcLen, queryDim]

    public override Tensor Scores(Tensor query, Tensor keys) => Sum(queryLayer, v, query, keys);

    /// <summary>vᵀ tanh(W_q q + keys): [batch, tgtLen, srcLen] for queries [batch, tgtLen, q] and keys [batch, srcLen, q].</summary>
    internal static Tensor Sum(Linear queryLayer, Linear v, Tensor query, Tensor keys)
    {
        var q = queryLayer.call(query).unsqueeze(2);                             // [batch, tgtLen, 1, q]
        return v.call((q + keys.unsqueeze(1)).tanh()).squeeze(-1);               // [batch, tgtLen, srcLen]
    }
}
