using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Multi-head scaled dot-product attention (Vaswani et al. 2017): per head softmax(Q Kᵀ / √d_head) V, the heads
/// concatenated and projected back to the model size. The softmax is explicit so its probabilities come back (the
/// decoder shows its cross-attention). Keys and values are projected by <see cref="KeysValues"/> apart from the
/// queries, so that a caller can compute them once (the encoder output for cross-attention) or grow them one step
/// at a time (the decoder's self-attention cache).
/// </summary>
public sealed class MultiHeadAttention : nn.Module
{
    readonly Linear query;
    readonly Linear key;
    readonly Linear value;
    readonly Linear output;
    readonly Dropout dropout;
    readonly int heads;
    readonly int headSize;
    readonly double scale;

    public MultiHeadAttention(int modelSize, int heads, double attentionDropout) : base(nameof(MultiHeadAttention))
    {
        this.heads = heads;
        headSize = modelSize / heads;
        scale = 1 / Math.Sqrt(headSize);
        query = nn.Linear(modelSize, modelSize);
        key = nn.Linear(modelSize, modelSize);
        value = nn.Linear(modelSize, modelSize);
        output = nn.Linear(modelSize, modelSize);
        foreach (var layer in new[] { query, key, value, output })
        {
            nn.init.xavier_uniform_(layer.weight!);
            nn.init.zeros_(layer.bias!);
        }
        dropout = nn.Dropout(attentionDropout);
        RegisterComponents();
    }

    /// <summary>Keys and values [batch, heads, len, headSize] of inputs [batch, len, model].</summary>
    public (Tensor Keys, Tensor Values) KeysValues(Tensor x) => (SplitHeads(key.call(x)), SplitHeads(value.call(x)));

    /// <param name="x">Query inputs [batch, tq, model].</param>
    /// <param name="keys">Keys [batch, heads, tk, headSize] from <see cref="KeysValues"/>.</param>
    /// <param name="values">Values [batch, heads, tk, headSize].</param>
    /// <param name="blocked">True where query i must not see key j, broadcastable to [batch, heads, tq, tk]; null = none.</param>
    /// <returns>outputs [batch, tq, model] and the attention probabilities [batch, heads, tq, tk] (before dropout).</returns>
    public (Tensor Output, Tensor Probabilities) Forward(Tensor x, Tensor keys, Tensor values, Tensor? blocked)
    {
        var q = SplitHeads(query.call(x)) * scale;                               // [batch, heads, tq, headSize]
        var scores = matmul(q, keys.transpose(2, 3));                            // [batch, heads, tq, tk]
        if (blocked is not null) scores = scores.masked_fill(blocked, double.NegativeInfinity);
        var probs = scores.softmax(-1);                                          // [batch, heads, tq, tk]
        var context = matmul(dropout.call(probs), values);                       // [batch, heads, tq, headSize]
        var merged = context.transpose(1, 2).reshape(x.shape[0], x.shape[1], heads * headSize); // [batch, tq, model]
        return (output.call(merged), probs);
    }

    // [batch, len, model] → [batch, heads, len, headSize]
    Tensor SplitHeads(Tensor x) => x.view(x.shape[0], x.shape[1], heads, headSize).transpose(1, 2);
}
