using Seq2Seq.Decoding;

namespace Seq2Seq.Onnx;

/// <summary>An exported model run by ONNX Runtime as an <see cref="IDecodingBackend"/>: the state is the memory
/// and decoder-state tensors in host memory plus the step count; row selection copies rows of each tensor.</summary>
public sealed class OnnxDecodingBackend(OnnxRuntimeModel model, int maxTargetLength = int.MaxValue) : IDecodingBackend
{
    public int MaxTargetLength { get; } = maxTargetLength;

    public IDecodingState Encode(IReadOnlyList<int[]> sources)
    {
        var (memory, state) = model.Encode(sources);
        return new OnnxDecodingState(memory, state, 0);
    }

    public DecodingStep Step(IReadOnlyList<long> previous, IDecodingState state)
    {
        var s = (OnnxDecodingState)state;
        var (logProbs, attention, gate, next) = model.Step(previous.ToArray(), s.Time, s.Memory, s.State);
        return new DecodingStep((float[])logProbs.Data, (int)logProbs.Shape[1], (float[]?)attention?.Data,
            attention is null ? 0 : (int)attention.Shape[1], new OnnxDecodingState(s.Memory, next, s.Time + 1), (float[]?)gate?.Data);
    }
}

/// <summary>Memory (per row), decoder state and the number of steps taken.</summary>
public sealed record OnnxDecodingState(OnnxRows Memory, OnnxRows State, int Time) : IDecodingState
{
    public int Rows => Memory.Rows;

    public IDecodingState SelectRows(IReadOnlyList<int> rows) => new OnnxDecodingState(Memory.SelectRows(rows), State.SelectRows(rows), Time);

    public void Dispose() { }
}
