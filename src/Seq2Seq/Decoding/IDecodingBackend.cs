namespace Seq2Seq.Decoding;

/// <summary>
/// What a search needs from a model, whatever runs it (TorchSharp, ONNX Runtime): encode a batch of id sequences
/// once, then step every row one token at a time, and select rows of the state (beam search expands, reorders and
/// drops hypotheses). Results come back in host memory, so the search's bookkeeping is the same for every backend.
/// </summary>
public interface IDecodingBackend
{
    /// <summary>The longest output (without &lt;/s&gt;) the model can decode.</summary>
    int MaxTargetLength { get; }

    /// <summary>The initial state: one row per source, at step 0.</summary>
    IDecodingState Encode(IReadOnlyList<int[]> sources);

    /// <summary>One step for each row of <paramref name="state"/> from its previous token (&lt;s&gt; at step 0).</summary>
    DecodingStep Step(IReadOnlyList<long> previous, IDecodingState state);
}

/// <summary>A backend's decoder state for a set of rows (memory, recurrent state or caches, step count); opaque to
/// the search.</summary>
public interface IDecodingState : IDisposable
{
    int Rows { get; }

    /// <summary>The rows <paramref name="rows"/> (repeats allowed), in that order, as a new state.</summary>
    IDecodingState SelectRows(IReadOnlyList<int> rows);
}

/// <summary>One step's result.</summary>
/// <param name="LogProbs">log P of every next token, [rows, vocab] row-major.</param>
/// <param name="Attention">Attention weights [rows, srcLen] row-major (null without attention).</param>
/// <param name="Next">The state after this step.</param>
/// <param name="Gates">A hybrid-attention model's gate per row (1 = global, 0 = local) where the backend gives it.</param>
public sealed record DecodingStep(float[] LogProbs, int Vocab, float[]? Attention, int SourceLength, IDecodingState Next, float[]? Gates = null);
