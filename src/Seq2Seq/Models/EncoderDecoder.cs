using Seq2Seq.Configuration;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>The attention encoder–decoder: an <see cref="RnnEncoder"/> or <see cref="CnnEncoder"/> feeding an <see cref="RnnDecoder"/>.</summary>
public sealed class EncoderDecoder : nn.Module
{
    readonly IEncoder encoder;
    readonly RnnDecoder decoder;

    public EncoderDecoder(ModelConfig config, int sourceVocab, int targetVocab) : base(nameof(EncoderDecoder))
    {
        encoder = config.Encoder.Type == "cnn"
            ? new CnnEncoder(config.Encoder, sourceVocab, config.EmbeddingSize, config.Dropout)
            : new RnnEncoder(config.Encoder, sourceVocab, config.EmbeddingSize, config.Dropout);
        decoder = new RnnDecoder(config.Decoder, targetVocab, config.EmbeddingSize, encoder.OutputSize, config.Dropout,
            config.TieTargetEmbeddings);
        RegisterComponents();
    }

    public RnnDecoder Decoder => decoder;
    public IEncoder Encoder => encoder;

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
        var (att, weights, _) = decoder.Forward(targetIn, memory, state, returnWeights);
        return (decoder.Logits(att), weights);
    }

    /// <summary>
    /// Teacher forcing for the loss: logits [tokens, vocab] of the real (non-pad) target positions only, in row-major
    /// order of <paramref name="targetOut"/> — the output layer and softmax skip the padding.
    /// </summary>
    public Tensor TokenLogits(Tensor src, Tensor srcLengths, Tensor targetIn, Tensor targetOut)
    {
        var (memory, state) = Encode(src, srcLengths);
        var (att, _, _) = decoder.Forward(targetIn, memory, state);                // [batch, tgtLen, hidden]
        var rows = targetOut.view(-1).ne(Data.Vocabulary.Pad).nonzero().squeeze(1); // [tokens]
        return decoder.Logits(att.view(-1, att.shape[2]).index_select(0, rows));   // [tokens, vocab]
    }

    /// <summary>Number of trainable parameters (tied weights counted once).</summary>
    public long ParameterCount() => parameters().GroupBy(p => p.Handle).Sum(g => g.First().numel());
}
