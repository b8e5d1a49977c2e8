namespace Seq2Seq.Decoding;

/// <summary>
/// What the searches and the scorer need from a model, whatever runs it (TorchSharp, ONNX Runtime): encode a batch of
/// id sequences once, step every row one token at a time, and select rows of the state (beam search expands,
/// reorders and drops hypotheses). A step returns only what a search reads — per row its k most probable next tokens,
/// log P(&lt;/s&gt;) and, on request, log P of one given token and the attention — in host memory, so the search's
/// bookkeeping is the same for every backend and a backend that keeps [rows, vocab] on a device does not copy it.
/// </summary>
public interface IDecodingBackend
{
    /// <summary>The longest source the model can encode (a position table's size); int.MaxValue when unlimited.</summary>
    int MaxSourceLength { get; }

    /// <summary>The longest output (without &lt;/s&gt;) the model can decode.</summary>
    int MaxTargetLength { get; }

    /// <summary>The initial state: one row per source (none empty), at step 0.</summary>
    IDecodingState Encode(IReadOnlyList<int[]> sources);

    /// <summary>One step for each row of <paramref name="state"/> from its previous token (&lt;s&gt; at step 0).</summary>
    DecodingStep Step(IReadOnlyList<long> previous, IDecodingState state, StepRequest request);

    /// <summary>Teacher-forced log P of each target token and the final &lt;/s&gt;, for one batch of pairs (results
    /// in input order); with <paramref name="gates"/>, a hybrid-attention model's gate at each of those positions.</summary>
    IReadOnlyList<SequenceScore> Score(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets, bool gates);
}

/// <summary>A backend's decoder state for a set of rows (memory, recurrent state or caches, step count); opaque to
/// the search. Each state is disposed by whoever made it once no longer needed; states made from it stay valid.</summary>
public interface IDecodingState : IDisposable
{
    int Rows { get; }

    /// <summary>The rows <paramref name="rows"/> (repeats allowed), in that order, as a new state.</summary>
    IDecodingState SelectRows(IReadOnlyList<int> rows);

    /// <summary>As <see cref="SelectRows"/> for a map that keeps every row on the same source (beam search's
    /// reordering within a sentence's beams): the memory, equal across those rows, is kept as it is.</summary>
    IDecodingState Reorder(IReadOnlyList<int> rows);
}

/// <summary>What a step is to return besides the next state.</summary>
/// <param name="TopK">How many of each row's most probable next tokens (at most the vocabulary size is returned).</param>
/// <param name="Tokens">Per row a token whose log P is wanted (teacher-forced scoring), or null.</param>
/// <param name="Attention">Return the attention weights (models with attention).</param>
public sealed record StepRequest(int TopK, IReadOnlyList<int>? Tokens = null, bool Attention = false);

/// <summary>One step's result, row-major host arrays. A NaN log-probability (a broken model) is reported as -∞, so a
/// search treats it as an impossible token and still ends.</summary>
/// <param name="TopK">Columns of <paramref name="TopLogProbs"/> and <paramref name="TopIds"/>: min(requested k, vocabulary).</param>
/// <param name="TopLogProbs">[rows, TopK] the most probable next tokens' log P, best first.</param>
/// <param name="TopIds">[rows, TopK] their ids.</param>
/// <param name="EosLogProbs">[rows] log P(&lt;/s&gt;).</param>
/// <param name="TokenLogProbs">[rows] log P of <see cref="StepRequest.Tokens"/> (null when none were asked).</param>
/// <param name="Attention">[rows, SourceLength] attention weights (null unless asked, or without attention).</param>
/// <param name="Gates">A hybrid-attention model's gate per row (1 = global, 0 = local), where the backend gives it.</param>
/// <param name="Next">The state after this step.</param>
public sealed record DecodingStep(int TopK, float[] TopLogProbs, int[] TopIds, float[] EosLogProbs, float[]? TokenLogProbs,
    float[]? Attention, int SourceLength, float[]? Gates, IDecodingState Next);
