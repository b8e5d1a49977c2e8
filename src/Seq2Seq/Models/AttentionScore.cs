using Seq2Seq.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Alignment scores between decoder queries q and encoder states e, shared by global, local and hybrid attention:
/// <c>dot</c> q·e; <c>general</c> q·(W e); <c>concat</c> (Luong) vᵀ tanh(W_q q + W_k e);
/// <c>additive</c> (Bahdanau) vᵀ tanh(W_q q + W_k e + b). Key projections are computed once per batch.
/// </summary>
public sealed class AttentionScore : nn.Module
{
    readonly Linear? keyLayer;
    readonly Linear? queryLayer;
    readonly Linear? v;

    public AttentionScore(string kind, int queryDim, int keyDim) : base(nameof(AttentionScore))
    {
        switch (kind)
        {
            case AttentionScores.Dot:
                if (queryDim != keyDim)
                    throw new ArgumentException($"dot attention needs model.decoder.hidden_size ({queryDim}) == model.encoder.hidden_size ({keyDim})");
                break;
            case AttentionScores.General:
                keyLayer = nn.Linear(keyDim, queryDim, hasBias: false);
                break;
            case AttentionScores.Concat:
            case AttentionScores.Additive:
                keyLayer = nn.Linear(keyDim, queryDim, hasBias: false);
                queryLayer = nn.Linear(queryDim, queryDim, hasBias: kind == AttentionScores.Additive);
                v = nn.Linear(queryDim, 1, hasBias: false);
                break;
            default:
                throw new ArgumentException($"unknown attention score '{kind}' (dot, general, concat, additive)");
        }
        RegisterComponents();
    }

    /// <summary>Projects encoder states [batch, srcLen, encDim] → keys [batch, srcLen, queryDim]; once per batch.</summary>
    public Tensor Keys(Tensor encoderStates) => keyLayer is null ? encoderStates.alias() : keyLayer.call(encoderStates);

    /// <summary>Raw scores [batch, tgtLen, srcLen] for queries [batch, tgtLen, queryDim] and keys [batch, srcLen, queryDim].</summary>
    public Tensor Scores(Tensor query, Tensor keys)
    {
        if (v is null) return bmm(query, keys.transpose(1, 2));
        var q = queryLayer!.call(query).unsqueeze(2);                            // [batch, tgtLen, 1, q]
        return v.call((q + keys.unsqueeze(1)).tanh()).squeeze(-1);               // [batch, tgtLen, srcLen]
    }
}
