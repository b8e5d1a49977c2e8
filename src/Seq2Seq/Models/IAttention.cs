using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>What an attention step yields.</summary>
/// <param name="Context">Weighted sum of encoder states [batch, tgtLen, encDim].</param>
/// <param name="Weights">Attention weights [batch, tgtLen, srcLen]; each row sums to 1 over real source tokens.</param>
/// <param name="Gate">Hybrid attention only: the global share g_t [batch, tgtLen].</param>
public sealed record AttentionOutput(Tensor Context, Tensor Weights, Tensor? Gate = null);

/// <summary>Attention over encoder states: global, local (local-m, local-p) or hybrid.</summary>
public interface IAttention
{
    /// <summary>Projects encoder states into keys once per batch.</summary>
    Tensor Keys(Tensor encoderStates);

    /// <summary>Attends with queries for target steps firstStep … firstStep + tgtLen − 1.</summary>
    /// <param name="query">[batch, tgtLen, hidden]</param>
    /// <param name="keys">[batch, srcLen, hidden]</param>
    /// <param name="values">Encoder states [batch, srcLen, encDim].</param>
    /// <param name="mask">True at real source tokens [batch, srcLen].</param>
    /// <param name="firstStep">Target position of the first query (local-m aligns step t with source position t).</param>
    AttentionOutput Forward(Tensor query, Tensor keys, Tensor values, Tensor mask, int firstStep);
}
