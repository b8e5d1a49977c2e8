using Seq2Seq.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>What the decoder reads from the encoder; <see cref="Select"/> picks batch rows (beam search).</summary>
/// <param name="States">Encoder outputs [batch, srcLen, encDim]; zero at padding.</param>
/// <param name="Mask">True at real source tokens [batch, srcLen].</param>
/// <param name="FinalH">Top layer's final hidden state, both directions concatenated [batch, encDim].</param>
/// <param name="FinalC">Same for the LSTM cell state (null for GRU).</param>
public sealed record EncoderOutput(Tensor States, Tensor Mask, Tensor FinalH, Tensor? FinalC)
{
    public EncoderOutput Select(Tensor rows) =>
        new(States.index_select(0, rows), Mask.index_select(0, rows), FinalH.index_select(0, rows), FinalC?.index_select(0, rows));

    public IEnumerable<Tensor> Tensors() => FinalC is null ? [States, Mask, FinalH] : [States, Mask, FinalH, FinalC];
}

/// <summary>Embeddings → dropout → (bi)LSTM/GRU over the packed source → dropout.</summary>
public sealed class RnnEncoder : nn.Module, IEncoder
{
    readonly Embedding embed;
    readonly RecurrentLayer rnn;
    readonly Dropout dropout;
    readonly bool bidirectional;
    readonly int layers;

    public RnnEncoder(EncoderConfig config, int vocabSize, int embeddingSize, double dropoutRate) : base(nameof(RnnEncoder))
    {
        if (config.Bidirectional && config.HiddenSize % 2 != 0)
            throw new ArgumentException("model.encoder.hidden_size is the total of both directions and must be even");
        bidirectional = config.Bidirectional;
        layers = config.Layers;
        OutputSize = config.HiddenSize;
        embed = nn.Embedding(vocabSize, embeddingSize, padding_idx: Data.Vocabulary.Pad);
        rnn = new RecurrentLayer(config.Type, embeddingSize, bidirectional ? config.HiddenSize / 2 : config.HiddenSize,
            config.Layers, bidirectional, dropoutRate);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>Size of each encoder state (both directions together).</summary>
    public int OutputSize { get; }

    /// <param name="src">Source ids [batch, srcLen], padded with &lt;pad&gt;.</param>
    /// <param name="srcLengths">Real lengths [batch] (int64, CPU).</param>
    public EncoderOutput Forward(Tensor src, Tensor srcLengths)
    {
        var x = dropout.call(embed.call(src));                                    // [batch, srcLen, emb]
        var (states, state) = rnn.ForwardPacked(x, srcLengths, src.shape[1]);     // [batch, srcLen, encDim]
        return new EncoderOutput(dropout.call(states), LengthMask.Of(srcLengths, src.shape[1], src.device), TopLayer(state.H),
            state.C is null ? null : TopLayer(state.C));
    }

    // h: [layers × dirs, batch, hidden] → top layer, directions concatenated: [batch, dirs × hidden]
    Tensor TopLayer(Tensor h) => bidirectional
        ? cat([h[2 * layers - 2], h[2 * layers - 1]], -1)
        : h[layers - 1];
}
