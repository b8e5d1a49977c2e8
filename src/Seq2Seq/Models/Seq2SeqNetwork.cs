using Seq2Seq.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// What search, scoring and training need from a model family, implemented by the RNN <see cref="EncoderDecoder"/>
/// and the <see cref="Transformer"/>: encode a batch once (<see cref="Encode"/>), then run the decoder either one
/// token at a time for search (<see cref="Step"/>) or over whole target prefixes for teacher forcing
/// (<see cref="Decode"/>), and map what the decoder gives to scores over the vocabulary (<see cref="Output"/>: the
/// vocabulary logits of <see cref="Logits"/>, mixed with the attention over the source for copy attention).
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
    /// <returns>what the output layer reads at each position (<see cref="OutputRows"/>: output vectors
    /// [batch, tgtLen, hidden], copy attention's inputs), and, when asked, attention weights [batch, tgtLen, srcLen]
    /// and hybrid-attention gates [batch, tgtLen] (null where the model has none).</returns>
    public abstract (OutputRows Output, Tensor? Weights, Tensor? Gates) Decode(Tensor targetIn, IDecoderRows memory, IDecoderRows state, bool returnWeights = false);

    /// <summary>One search step from the previous tokens <paramref name="previous"/> [batch].</summary>
    /// <returns>scores [batch, vocab] whose log_softmax is the next token's log-probability (logits, or log P itself for
    /// copy attention), the next state, attention weights [batch, srcLen] (null without attention).</returns>
    public abstract (Tensor Logits, IDecoderRows State, Tensor? Weights) Step(Tensor previous, IDecoderRows state, IDecoderRows memory);

    /// <summary>The vocabulary layer alone: logits [..., vocab] of decoder output vectors [..., hidden].</summary>
    public abstract Tensor Logits(Tensor hidden);

    /// <summary>The output layer: scores [..., vocab] of <paramref name="rows"/> whose log_softmax is log P — the
    /// vocabulary logits, or for copy attention log P itself (<see cref="PointerGenerator"/>).</summary>
    public virtual Tensor Output(OutputRows rows) =>
        rows.Copy is null ? Logits(rows.Hidden) : PointerGenerator.LogProbs(Logits(rows.Hidden), rows.Copy);

    /// <summary>The longest source the model can encode (position tables); int.MaxValue when unlimited.</summary>
    public virtual int MaxSourceLength => int.MaxValue;

    /// <summary>The longest output (without &lt;/s&gt;) the model can decode; searches cap their length limit here.</summary>
    public virtual int MaxTargetLength => int.MaxValue;

    /// <summary>Teacher forcing: scores [batch, tgtLen, vocab] (as <see cref="Output"/> gives them) for decoder input
    /// ids [batch, tgtLen]; attention weights and gates as <see cref="Decode"/> gives them.</summary>
    public (Tensor Logits, Tensor? Weights, Tensor? Gates) Forward(Tensor src, Tensor srcLengths, Tensor targetIn, bool returnWeights = false)
    {
        var (memory, state) = Encode(src, srcLengths);
        var (output, weights, gates) = Decode(targetIn, memory, state, returnWeights);
        return (Output(output), weights, gates);                                    // [batch, tgtLen, vocab]
    }

    /// <summary>
    /// Teacher forcing for the loss: scores [tokens, vocab] (as <see cref="Output"/> gives them) of the real (non-pad)
    /// target positions only, in row-major order of <paramref name="targetOut"/> — the output layer and softmax skip
    /// the padding.
    /// </summary>
    public Tensor TokenLogits(Tensor src, Tensor srcLengths, Tensor targetIn, Tensor targetOut) =>
        Output(TokenOutputs(src, srcLengths, targetIn, targetOut));                 // [tokens, vocab]

    /// <summary>Teacher forcing up to the output layer: what it reads (<see cref="OutputRows"/>, [tokens, ...]) at the
    /// real (non-pad) target positions, in row-major order of <paramref name="targetOut"/>.</summary>
    public OutputRows TokenOutputs(Tensor src, Tensor srcLengths, Tensor targetIn, Tensor targetOut)
    {
        var (memory, state) = Encode(src, srcLengths);
        var (output, _, _) = Decode(targetIn, memory, state);                        // [batch, tgtLen, ...]
        var rows = targetOut.view(-1).ne(Data.Vocabulary.Pad).nonzero().squeeze(1);  // [tokens]
        return output.Rows(rows);                                                    // [tokens, ...]
    }

    /// <summary>Number of trainable parameters (tied weights counted once).</summary>
    public long ParameterCount() => parameters().GroupBy(p => p.Handle).Sum(g => g.First().numel());
}
