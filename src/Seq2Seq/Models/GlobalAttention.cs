using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>Attention over all source positions (Luong et al. 2015 "global"; Bahdanau et al. 2015), padding masked.</summary>
public sealed class GlobalAttention : nn.Module, IAttention
{
    readonly AttentionScore score;

    public GlobalAttention(string kind, int queryDim, int keyDim) : base(nameof(GlobalAttention))
    {
        score = AttentionScore.Create(kind, queryDim, keyDim);
        RegisterComponents();
    }

    public Tensor Keys(Tensor encoderStates) => score.Keys(encoderStates);

    public AttentionOutput Forward(Tensor query, Tensor keys, Tensor values, Tensor mask, int firstStep = 0)
    {
        var weights = Normalize(score.Scores(query, keys), mask);                // [batch, tgtLen, srcLen]
        return new AttentionOutput(bmm(weights, values), weights);
    }

    /// <summary>Softmax over real source positions: scores [batch, tgtLen, srcLen], mask [batch, srcLen].</summary>
    public static Tensor Normalize(Tensor scores, Tensor mask) =>
        scores.masked_fill(mask.unsqueeze(1).logical_not(), double.NegativeInfinity).softmax(-1);
}
