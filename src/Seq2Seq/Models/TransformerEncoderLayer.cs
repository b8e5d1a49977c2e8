using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>A pre-norm Transformer encoder layer: x + dropout(SelfAttention(LN(x))), then x + dropout(FF(LN(x))).</summary>
public sealed class TransformerEncoderLayer : nn.Module
{
    readonly LayerNorm selfNorm;
    readonly MultiHeadAttention selfAttention;
    readonly LayerNorm feedForwardNorm;
    readonly FeedForward feedForward;
    readonly Dropout dropout;

    public TransformerEncoderLayer(int modelSize, int heads, int feedForwardSize, double dropoutRate, double attentionDropout)
        : base(nameof(TransformerEncoderLayer))
    {
        selfNorm = nn.LayerNorm(modelSize);
        selfAttention = new MultiHeadAttention(modelSize, heads, attentionDropout);
        feedForwardNorm = nn.LayerNorm(modelSize);
        feedForward = new FeedForward(modelSize, feedForwardSize, dropoutRate);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <param name="x">[batch, srcLen, model]</param>
    /// <param name="padding">True at source padding, [batch, 1, 1, srcLen] (no position attends to padding).</param>
    /// <returns>[batch, srcLen, model]</returns>
    public Tensor Forward(Tensor x, Tensor padding)
    {
        var h = selfNorm.call(x);                                                // [batch, srcLen, model]
        var (keys, values) = selfAttention.KeysValues(h);                        // [batch, heads, srcLen, headSize]
        x = x + dropout.call(selfAttention.Forward(h, keys, values, padding).Output);
        return x + dropout.call(feedForward.Forward(feedForwardNorm.call(x)));
    }
}
