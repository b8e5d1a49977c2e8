using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Attention over all source positions, padding masked. Scores between a query q and encoder state e:
/// <c>dot</c> q·e; <c>general</c> q·(W e); <c>concat</c> (Luong) vᵀ tanh(W_q q + W_k e);
/// <c>additive</c> (Bahdanau) vᵀ tanh(W_q q + W_k e + b). Key projections are computed once per batch.
/// </summary>
public sealed class GlobalAttention : nn.Module
{
    readonly string kind;
    readonly Linear? keyLayer;
    readonly Linear? queryLayer;
    readonly Linear? v;

    public GlobalAttention(string kind, int queryDim, int keyDim) : base(nameof(GlobalAttention))
    {
        this.kind = kind;
        switch (kind)
        {
            case "dot":
                if (queryDim != keyDim)
                    throw new ArgumentException($"dot attention needs model.decoder.hidden_size ({queryDim}) == model.encoder.hidden_size ({keyDim})");
                break;
            case "general":
                keyLayer = nn.Linear(keyDim, queryDim, hasBias: false);
                break;
            case "concat":
            case "additive":
                keyLayer = nn.Linear(keyDim, queryDim, hasBias: false);
                queryLayer = nn.Linear(queryDim, queryDim, hasBias: kind == "additive");
                v = nn.Linear(queryDim, 1, hasBias: false);
                break;
            default:
                throw new ArgumentException($"unknown attention '{kind}' (dot, general, concat, additive)");
        }
        RegisterComponents();
    }

    /// <summary>Projects encoder states [batch, srcLen, encDim] → keys [batch, srcLen, queryDim]; once per batch.</summary>
    public Tensor Keys(Tensor encoderStates) => keyLayer is null ? encoderStates.alias() : keyLayer.call(encoderStates);

    /// <summary>Context vectors and attention weights for queries [batch, tgtLen, queryDim].</summary>
    /// <returns>context [batch, tgtLen, encDim], weights [batch, tgtLen, srcLen] (rows sum to 1 over real tokens).</returns>
    public (Tensor Context, Tensor Weights) Forward(Tensor query, Tensor keys, Tensor values, Tensor mask)
    {
        Tensor scores;                                                            // [batch, tgtLen, srcLen]
        if (v is not null)
        {
            var q = queryLayer!.call(query).unsqueeze(2);                         // [batch, tgtLen, 1, q]
            scores = v.call((q + keys.unsqueeze(1)).tanh()).squeeze(-1);          // [batch, tgtLen, srcLen]
        }
        else scores = bmm(query, keys.transpose(1, 2));
        scores = scores.masked_fill(mask.unsqueeze(1).logical_not(), double.NegativeInfinity);
        var weights = scores.softmax(-1);
        return (bmm(weights, values), weights);
    }
}
