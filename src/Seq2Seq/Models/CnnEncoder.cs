using Seq2Seq.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seq2Seq.Models;

/// <summary>
/// Convolutional encoder in the style of ConvS2S (Gehring et al. 2017): token + learned position embeddings, a linear
/// map to the hidden size, then <c>layers</c> blocks of dropout → 1-D convolution (kernel_width, same length) → gated
/// linear unit → residual connection → layer normalisation. Padding positions are zeroed before every convolution, so a
/// sentence's states do not depend on the padding around it. The decoder's initial state comes from the mean of the
/// real positions' states.
/// <para>The layer normalisation replaces ConvS2S's √0.5 residual scaling, weight normalisation and careful
/// initialisation: without it the blocks' outputs grow with every Adam step until attention saturates
/// (docs/performance.md, "Figures behind code choices", tells what was seen).</para>
/// </summary>
public sealed class CnnEncoder : nn.Module, IEncoder
{
    readonly Embedding embed;
    readonly Embedding positions;
    readonly Linear toHidden;
    readonly ModuleList<Conv1d> convs = new();
    readonly ModuleList<LayerNorm> norms = new();
    readonly Dropout dropout;
    readonly int maxPositions;

    public CnnEncoder(EncoderConfig config, int vocabSize, int embeddingSize, double dropoutRate) : base(nameof(CnnEncoder))
    {
        if (config.KernelWidth % 2 == 0) throw new ArgumentException("model.encoder.kernel_width must be odd (the output keeps the input length)");
        OutputSize = config.HiddenSize;
        maxPositions = config.MaxPositions;
        embed = nn.Embedding(vocabSize, embeddingSize, padding_idx: Data.Vocabulary.Pad);
        positions = nn.Embedding(maxPositions, embeddingSize);
        toHidden = nn.Linear(embeddingSize, config.HiddenSize);
        for (int i = 0; i < config.Layers; i++)
        {
            convs.Add(nn.Conv1d(config.HiddenSize, 2 * config.HiddenSize, config.KernelWidth, padding: config.KernelWidth / 2));
            norms.Add(nn.LayerNorm(config.HiddenSize));
        }
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public int OutputSize { get; }

    /// <summary>The longest source this encoder can embed.</summary>
    public int MaxPositions => maxPositions;

    public EncoderOutput Forward(Tensor src, Tensor srcLengths)
    {
        long srcLen = src.shape[1];
        if (srcLen > maxPositions)
            throw new ArgumentException($"source of {srcLen} tokens is longer than model.encoder.max_positions ({maxPositions})");
        var mask = LengthMask.Of(srcLengths, srcLen, src.device);                // [batch, srcLen]
        var keep = mask.unsqueeze(2).to_type(ScalarType.Float32);                // [batch, srcLen, 1]
        var pos = arange(srcLen, device: src.device).unsqueeze(0);               // [1, srcLen]
        var x = dropout.call(embed.call(src) + positions.call(pos));             // [batch, srcLen, emb]
        x = toHidden.call(x) * keep;                                             // [batch, srcLen, hidden]
        foreach (var (conv, norm) in convs.Zip(norms))
        {
            var y = conv.call(dropout.call(x).transpose(1, 2));                  // [batch, 2·hidden, srcLen]
            y = F.glu(y, 1).transpose(1, 2);                                     // [batch, srcLen, hidden]
            x = norm.call(x + y) * keep;                                         // residual, normalised; padding back to zero
        }
        var summary = x.sum(1) / keep.sum(1);                                    // [batch, hidden] mean of real positions
        return new EncoderOutput(x, mask, summary, null);
    }
}
