using Seq2Seq.Configuration;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>The RNN attention encoder–decoder: an <see cref="RnnEncoder"/> or <see cref="CnnEncoder"/> feeding an <see cref="RnnDecoder"/>.</summary>
public sealed class EncoderDecoder : Seq2SeqNetwork
{
    readonly IEncoder encoder;
    readonly RnnDecoder decoder;
    readonly bool tiedEmbeddings;

    public EncoderDecoder(ModelConfig config, int sourceVocab, int targetVocab) : base(nameof(EncoderDecoder))
    {
        encoder = config.Encoder.Type == EncoderTypes.Cnn
            ? new CnnEncoder(config.Encoder, sourceVocab, config.EmbeddingSize, config.Dropout)
            : new RnnEncoder(config.Encoder, sourceVocab, config.EmbeddingSize, config.Dropout);
        decoder = new RnnDecoder(config.Decoder, targetVocab, config.EmbeddingSize, encoder.OutputSize, config.Dropout,
            config.TieTargetEmbeddings, config.CopyAttention);
        tiedEmbeddings = config.TieTargetEmbeddings;
        RegisterComponents();
    }

    public RnnDecoder Decoder => decoder;
    public IEncoder Encoder => encoder;

    public override int MaxSourceLength => encoder is CnnEncoder cnn ? cnn.MaxPositions : int.MaxValue;

    public override bool SharesMatrices => tiedEmbeddings;

    /// <summary>Runs the encoder and prepares the decoder's memory (<see cref="DecoderMemory"/>) and state (<see cref="DecoderState"/>).</summary>
    public override (IDecoderRows Memory, IDecoderRows State) Encode(Tensor src, Tensor srcLengths)
    {
        var enc = encoder.Forward(src, srcLengths);
        return (decoder.Prepare(enc, src), decoder.InitialState(enc));
    }

    public override (OutputRows Output, Tensor? Weights, Tensor? Gates) Decode(Tensor targetIn, IDecoderRows memory, IDecoderRows state, bool returnWeights = false) =>
        decoder.Forward(targetIn, (DecoderMemory)memory, (DecoderState)state, returnWeights);

    public override (Tensor Logits, IDecoderRows State, Tensor? Weights) Step(Tensor previous, IDecoderRows state, IDecoderRows memory) =>
        decoder.Step(previous, (DecoderState)state, (DecoderMemory)memory);

    public override Tensor Logits(Tensor hidden) => decoder.Logits(hidden);
}
