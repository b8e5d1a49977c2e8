using Seq2Seq.Configuration;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Alignment scores between decoder queries q and encoder states e, shared by global, local and hybrid attention;
/// one class per <see cref="AttentionScores"/> kind (<see cref="DotScore"/>, <see cref="GeneralScore"/>,
/// <see cref="ConcatScore"/>, <see cref="AdditiveScore"/>), made by <see cref="Create"/>. Key projections are
/// computed once per batch. Every kind registers its parameters under the names <c>keyLayer</c>, <c>queryLayer</c>
/// and <c>v</c>, which checkpoints store (<c>decoder.attention.score.keyLayer.weight</c>, ...).
/// </summary>
public abstract class AttentionScore() : nn.Module(nameof(AttentionScore))
{
    /// <summary>Projects encoder states [batch, srcLen, encDim] → keys [batch, srcLen, queryDim]; once per batch.</summary>
    public abstract Tensor Keys(Tensor encoderStates);

    /// <summary>Raw scores [batch, tgtLen, srcLen] for queries [batch, tgtLen, queryDim] and keys [batch, srcLen, queryDim].</summary>
    public abstract Tensor Scores(Tensor query, Tensor keys);

    /// <summary>The score of one <see cref="AttentionScores"/> kind (not <c>none</c>).</summary>
    /// <exception cref="ArgumentException">The kind is unknown, or dot is asked for with unequal sizes.</exception>
    public static AttentionScore Create(string kind, int queryDim, int keyDim) => kind switch
    {
        AttentionScores.Dot => new DotScore(queryDim, keyDim),
        AttentionScores.General => new GeneralScore(queryDim, keyDim),
        AttentionScores.Concat => new ConcatScore(queryDim, keyDim),
        AttentionScores.Additive => new AdditiveScore(queryDim, keyDim),
        _ => throw new ArgumentException($"unknown attention score '{kind}' ({string.Join(", ", AttentionScores.All.Where(k => k != AttentionScores.None))})"),
    };
}
