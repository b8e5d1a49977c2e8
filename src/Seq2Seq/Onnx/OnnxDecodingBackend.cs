using Seq2Seq.Decoding;

namespace Seq2Seq.Onnx;

/// <summary>An exported model run by ONNX Runtime as an <see cref="IDecodingBackend"/>: the state is the memory
/// and decoder-state tensors in ONNX Runtime's buffers plus the step count; row selection copies rows of each tensor.
/// ONNX Runtime's CPU provider leaves each step's log-probabilities in host memory already, so the top-k is taken there
/// (<see cref="HostTopK"/>, one pass over each row) rather than by a TopK node added to the step graph: the graph stays
/// the one the manifest describes, and NaN and tie handling stay in one place. Teacher-forced scoring steps the
/// decoder with the reference tokens.</summary>
public sealed class OnnxDecodingBackend(OnnxRuntimeModel model, int maxTargetLength = int.MaxValue) : IDecodingBackend
{
    public int MaxSourceLength => model.MaxSourceLength;

    public int MaxTargetLength { get; } = maxTargetLength;

    public IDecodingState Encode(IReadOnlyList<int[]> sources)
    {
        var (memory, state) = model.Encode(sources);
        return new OnnxDecodingState(memory, state, 0);
    }

    public DecodingStep Step(IReadOnlyList<long> previous, IDecodingState state, StepRequest request)
    {
        var s = (OnnxDecodingState)state;
        using var output = model.Step(previous.ToArray(), s.Time, s.Memory, s.State);
        var next = new OnnxDecodingState(s.Memory.Share(), output.State, s.Time + 1);
        int rows = (int)output.LogProbs.Shape[0], vocab = (int)output.LogProbs.Shape[1];
        var (k, values, ids, eos, tokens) = HostTopK.Of(output.LogProbs.Span<float>(), rows, vocab, request);
        var attention = request.Attention ? output.Attention?.Span<float>().ToArray() : null;
        return new DecodingStep(k, values, ids, eos, tokens, attention, output.Attention is null ? 0 : (int)output.Attention.Shape[1],
            output.Gate?.Span<float>().ToArray(), next);
    }

    public IReadOnlyList<SequenceScore> Score(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets, bool gates) =>
        SequenceScorer.ScoreByStepping(this, sources, targets, gates);
}

/// <summary>Memory (per row), decoder state and the number of steps taken; it holds a share of each tensor
/// (<see cref="NativeTensor"/>), so states made from it stay valid after it is disposed.</summary>
public sealed record OnnxDecodingState(OnnxRows Memory, OnnxRows State, int Time) : IDecodingState
{
    public int Rows => Memory.Rows;

    public IDecodingState SelectRows(IReadOnlyList<int> rows) => new OnnxDecodingState(Memory.SelectRows(rows), State.SelectRows(rows), Time);

    public IDecodingState Reorder(IReadOnlyList<int> rows) => new OnnxDecodingState(Memory.Share(), State.SelectRows(rows), Time);

    public void Dispose()
    {
        Memory.Dispose();
        State.Dispose();
    }
}
