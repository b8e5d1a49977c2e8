using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary><c>additive</c> (Bahdanau): vᵀ tanh(W_q q + W_k e + b): <see cref="ConcatScore"/> with a bias on the query
/// projection. (The Bahdanau decoder input that goes with it is <see cref="RnnDecoder"/>'s.)</summary>
public sealed class AdditiveScore : AttentionScore
{
    readonly Linear keyLayer;
    readonly Linear queryLayer;
    readonly Linear v;

    public AdditiveScore(int queryDim, int keyDim)
    {
        keyLayer = nn.Linear(keyDim, queryDim, hasBias: false);
        queryLayer = nn.Linear(queryDim, queryDim, hasBias: true);
        v = nn.Linear(queryDim, 1, hasBias: false);
        RegisterComponents();
    }

    public override Tensor Keys(Tensor encoderStates) => keyLayer.call(encoderStates);          // [batch, srcLen, queryDim]

    public override Tensor Scores(Tensor query, Tensor keys) => ConcatScore.Sum(queryLayer, v, query, keys);
}
