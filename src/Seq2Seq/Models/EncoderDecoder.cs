using Seq2Seq.Configuration;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>The attention encoder–decoder: <see cref="RnnEncoder"/> feeding an <see cref="RnnDecoder"/>.</summary>
public sealed class EncoderDecoder : nn.Module
{
    readonly RnnEncoder encoder;
    readonly RnnDecoder decoder;

    public EncoderDecoder(ModelConfig config, int sourceVocab, int targetVocab) : base(nameof(EncoderDecoder))
    {
        encoder = new RnnEncoder(config.Encoder, sourceVocab, config.EmbeddingSize, config.Dropout);
        decoder = new RnnDecoder(config.Decoder, targetVocab, config.EmbeddingSize, encoder.OutputSize, config.Dropout,
            config.TieTargetEmbeddings);
        RegisterComponents();
    }

    public RnnDecoder Decoder => decoder;

    /// <summary>Encodes source ids [batch, srcLen] with lengths [batch] and prepares the decoder's memory and state.</summary>
    public (DecoderMemory Memory, DecoderState State) Encode(Tensor src, Tensor srcLengths)
    {
        var enc = encoder.Forward(src, srcLengths);
        return (decoder.Prepare(enc), decoder.InitialState(enc));
    }

    /// <summary>Teacher forcing: logits [batch, tgtLen, vocab] for decoder input ids [batch, tgtLen].</summary>
    public (Tensor Logits, Tensor? Weights) Forward(Tensor src, Tensor srcLengths, Tensor targetIn, bool returnWeights = false)
    {
        var (memory, state) = Encode(src, srcLengths);
        return decoder.Forward(targetIn, memory, state, returnWeights);
    }

    /// <summary>Number of trainable parameters (tied weights counted once).</summary>
    public long ParameterCount() => parameters().GroupBy(p => p.Handle).Sum(g => g.First().numel());
}
