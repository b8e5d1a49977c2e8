using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// A pre-norm Transformer decoder layer: masked self-attention over the target prefix, cross-attention over the
/// encoder output, feed-forward; each as x + dropout(SubLayer(LN(x))). The self-attention keys and values of earlier
/// positions come from a cache, so a search step computes only the new position's.
/// </summary>
public sealed class TransformerDecoderLayer : nn.Module
{
    readonly LayerNorm selfNorm;
    readonly MultiHeadAttention selfAttention;
    readonly LayerNorm crossNorm;
    readonly MultiHeadAttention crossAttention;
    readonly LayerNorm feedForwardNorm;
    readonly FeedForward feedForward;
    readonly Dropout dropout;

    public TransformerDecoderLayer(int modelSize, int heads, int feedForwardSize, double dropoutRate, double attentionDropout)
        : base(nameof(TransformerDecoderLayer))
    {
        selfNorm = nn.LayerNorm(modelSize);
        selfAttention = new MultiHeadAttention(modelSize, heads, attentionDropout);
        crossNorm = nn.LayerNorm(modelSize);
        crossAttention = new MultiHeadAttention(modelSize, heads, attentionDropout);
        feedForwardNorm = nn.LayerNorm(modelSize);
        feedForward = new FeedForward(modelSize, feedForwardSize, dropoutRate);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>Cross-attention keys and values of the encoder output [batch, srcLen, model]; once per batch.</summary>
    public KeyValues CrossKeysValues(Tensor encoderStates)
    {
        var (keys, values) = crossAttention.KeysValues(encoderStates);          // [batch, heads, srcLen, headSize]
        return new KeyValues(keys, values);
    }

    /// <param name="x">Inputs [batch, tq, model] of the target positions after those in <paramref name="cache"/>.</param>
    /// <param name="cache">Self-attention keys and values of the earlier positions [batch, heads, time, headSize].</param>
    /// <param name="causal">True where query i must not see key j [tq, time + tq]; null when tq = 1 (all visible).</param>
    /// <param name="cross">Cross-attention keys and values of the encoder output.</param>
    /// <param name="padding">True at source padding [batch, 1, 1, srcLen].</param>
    /// <returns>outputs [batch, tq, model], the cache extended by the tq positions, and the cross-attention
    /// probabilities [batch, heads, tq, srcLen].</returns>
    public (Tensor Output, KeyValues Cache, Tensor CrossProbabilities) Forward(Tensor x, KeyValues cache, Tensor? causal, KeyValues cross, Tensor padding)
    {
        var h = selfNorm.call(x);                                                // [batch, tq, model]
        var (k, v) = selfAttention.KeysValues(h);                                // [batch, heads, tq, headSize]
        var self = cache.Append(new KeyValues(k, v));                            // [batch, heads, time + tq, headSize]
        x = x + dropout.call(selfAttention.Forward(h, self.Keys, self.Values, causal).Output);
        var (context, probs) = crossAttention.Forward(crossNorm.call(x), cross.Keys, cross.Values, padding);
        x = x + dropout.call(context);                                           // [batch, tq, model]
        x = x + dropout.call(feedForward.Forward(feedForwardNorm.call(x)));
        return (x, self, probs);
    }
}
