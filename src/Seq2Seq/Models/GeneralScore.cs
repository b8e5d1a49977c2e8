using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary><c>general</c> (Luong): q·(W e), with W e computed once per batch as the keys.</summary>
public sealed class GeneralScore : AttentionScore
{
    readonly Linear keyLayer;

    public GeneralScore(int queryDim, int keyDim)
    {
        keyLayer = nn.Linear(keyDim, queryDim, hasBias: false);
        RegisterComponents();
    }

    public override Tensor Keys(Tensor encoderStates) => keyLayer.call(encoderStates);          // [batch, srcLen, queryDim]

    public override Tensor Scores(Tensor query, Tensor keys) => bmm(query, keys.transpose(1, 2));   // [batch, tgtLen, srcLen]
}
