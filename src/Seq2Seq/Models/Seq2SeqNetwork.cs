using Seq2Seq.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// What search, scoring and training need from a model family, implemented by the RNN <see cref="EncoderDecoder"/>
/// and the <see cref="Transformer"/>: encode a batch once (<see cref="Encode"/>), then run the decoder either one
/// token at a time for search (<see cref="Step"/>) or over whole target prefixes for teacher forcing
/// (<see cref="Decode"/>), and map its output vectors to vocabulary logits (<see cref="Logits"/>).
/// </summary>
public abstract class Seq2SeqNetwork : nn.Module
{
    protected Seq2SeqNetwork(string name) : base(name) { }

    /// <summary>The device of the model's parameters: where search, scoring and training create their tensors (the CPU
    /// for a network without parameters, such as a scripted stand-in in tests).</summary>
    public Device Device => parameters().FirstOrDefault()?.device ?? CPU;

    /// <summary>Whether two modules share one parameter matrix (tied or shared embeddings).</summary>
    public virtual bool SharesMatrices => false;

    /// <summary>Moves the parameters to <paramref name="device"/> (nothing to do for the CPU, where a model is built).
    /// Call before an optimiser is made: TorchSharp's <c>Module.to</c> gives each moved parameter a new object.</summary>
    /// <exception cref="ConfigException">The model shares a matrix between modules: <c>Module.to</c> moves each
    /// module's copy separately (and a Linear disposes the weight it replaces), which would untie it.</exception>
    public void MoveTo(Device device)
    {
        if (device.type == DeviceType.CPU && Device.type == DeviceType.CPU) return;
        if (SharesMatrices)
            throw new ConfigException($"model.tie_target_embeddings / model.transformer.share_embeddings on {device}: " +
                "moving a model whose modules share a matrix would untie it (TorchSharp moves each module's parameters " +
                "separately); train such a model on the cpu, or without tied embeddings");
        this.to(device);
    }

    /// <summary>Encodes source ids [batch, srcLen] (lengths [batch], int64, CPU): the decoder's memory, fixed per
    /// sentence, and its initial state.</summary>
    public abstract (IDecoderRows Memory, IDecoderRows State) Encode(Tensor src, Tensor srcLengths);

    /// <summary>Teacher-forced decoding of target prefixes &lt;s&gt; y… [batch, tgtLen] from <paramref name="state"/>,
    /// up to (not including) the output layer.</summary>
    /// <returns>output vectors [batch, tgtLen, hidden] and, when asked, attention weights [batch, tgtLen, srcLen] and
    /// hybrid-attention gates [batch, tgtLen] (null where the model has none).</returns>
    public abstract (Tensor Hidden, Tensor? Weights, Tensor? Gates) Decode(Tensor targetIn, IDecoderRows memory, IDecoderRows state, bool returnWeights = false);

    /// <summary>One search step from the previous tokens <paramref name="previous"/> [batch].</summary>
    /// <returns>logits [batch, vocab], the next state, attention weights [batch, srcLen] (null without attention).</returns>
    public abstract (Tensor Logits, IDecoderRows State, Tensor? Weights) Step(Tensor previous, IDecoderRows state, IDecoderRows memory);

    /// <summary>Output-layer logits [..., vocab] of decoder output vectors [..., hidden].</summary>
    public abstract Tensor Logits(Tensor hidden);

    /// <summary>The longest source the model can encode (position tables); int.MaxValue when unlimited.</summary>
    public virtual int MaxSourceLength => int.MaxValue;

    /// <summary>The longest output (without &lt;/s&gt;) the model can decode; searches cap their length limit here.</summary>
    public virtual int MaxTargetLength => int.MaxValue;

    /// <summary>Teacher forcing: logits [batch, tgtLen, vocab] for decoder input ids [batch, tgtLen]; attention weights
    /// and gates as <see cref="Decode"/> gives them.</summary>
    public (Tensor Logits, Tensor? Weights, Tensor? Gates) Forward(Tensor src, Tensor srcLengths, Tensor targetIn, bool returnWeights = false)
    {
        var (memory, state) = Encode(src, srcLengths);
        var (hidden, weights, gates) = Decode(targetIn, memory, state, returnWeights);  // [batch, tgtLen, hidden]
        return (Logits(hidden), weights, gates);
    }

    /// <summary>
    /// Teacher forcing for the loss: logits [tokens, vocab] of the real (non-pad) target positions only, in row-major
    /// order of <paramref name="targetOut"/> — the output layer and softmax skip the padding.
    /// </summary>
    public Tensor TokenLogits(Tensor src, Tensor srcLengths, Tensor targetIn, Tensor targetOut) =>
        Logits(TokenHidden(src, srcLengths, targetIn, targetOut));                   // [tokens, vocab]

    /// <summary>Teacher forcing up to the output layer: decoder output vectors [tokens, hidden] of the real (non-pad)
    /// target positions, in row-major order of <paramref name="targetOut"/>.</summary>
    public Tensor TokenHidden(Tensor src, Tensor srcLengths, Tensor targetIn, Tensor targetOut)
    {
        var (memory, state) = Encode(src, srcLengths);
        var (hidden, _, _) = Decode(targetIn, memory, state);                        // [batch, tgtLen, hidden]
        var rows = targetOut.view(-1).ne(Data.Vocabulary.Pad).nonzero().squeeze(1);  // [tokens]
        return hidden.view(-1, hidden.shape[2]).index_select(0, rows);               // [tokens, hidden]
    }

    /// <summary>Number of trainable parameters (tied weights counted once).</summary>
    public long ParameterCount() => parameters().GroupBy(p => p.Handle).Sum(g => g.First().numel());
}
