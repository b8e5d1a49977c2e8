using Seq2Seq.Data;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Decoding;

/// <summary>A TorchSharp <see cref="Seq2SeqNetwork"/> as an <see cref="IDecodingBackend"/> (eval mode, no gradients);
/// each step's log-probabilities are copied to host memory.</summary>
public sealed class TorchDecodingBackend(Seq2SeqNetwork network) : IDecodingBackend
{
    readonly Device device = network.Device;

    public int MaxTargetLength => network.MaxTargetLength;

    public IDecodingState Encode(IReadOnlyList<int[]> sources)
    {
        network.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var batch = Batch.Create(sources, null, Enumerable.Range(0, sources.Count).ToArray(), device);
        var (memory, state) = network.Encode(batch.Source, batch.SourceLengths);
        return new TorchDecodingState(memory, state, (int)batch.Source.shape[1]).Keep();
    }

    public DecodingStep Step(IReadOnlyList<long> previous, IDecodingState state)
    {
        var s = (TorchDecodingState)state;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (logits, next, weights) = network.Step(tensor(previous.ToArray(), device: device), s.State, s.Memory);
        var logProbs = logits.log_softmax(-1).cpu();                             // [rows, vocab]
        var attention = weights?.cpu().contiguous().data<float>().ToArray();     // [rows, srcLen]
        return new DecodingStep(logProbs.contiguous().data<float>().ToArray(), (int)logProbs.shape[1], attention,
            s.SourceLength, new TorchDecodingState(s.Memory, next, s.SourceLength).Keep());
    }
}

/// <summary>The network's memory and state tensors, kept out of the dispose scopes of the calls that made them.</summary>
public sealed record TorchDecodingState(IDecoderRows Memory, IDecoderRows State, int SourceLength) : IDecodingState
{
    public int Rows => (int)Memory.Tensors().First().shape[0];

    public IDecodingState SelectRows(IReadOnlyList<int> rows)
    {
        using var scope = NewDisposeScope();
        var index = tensor(rows.Select(r => (long)r).ToArray(), device: Memory.Tensors().First().device);
        return new TorchDecodingState(Memory.Select(index), State.Select(index), SourceLength).Keep();
    }

    internal TorchDecodingState Keep()
    {
        foreach (var t in Memory.Tensors().Concat(State.Tensors())) t.MoveToOuterDisposeScope();
        return this;
    }

    // Memory and state tensors may be shared with the states this one was made from; they are freed with the
    // dispose scope of the search that owns them (or by the garbage collector), not here.
    public void Dispose() { }
}
