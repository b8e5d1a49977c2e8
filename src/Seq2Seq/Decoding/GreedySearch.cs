using Seq2Seq.Data;

namespace Seq2Seq.Decoding;

/// <summary>
/// Batched greedy search over any <see cref="IDecodingBackend"/>: the most probable token at each step, all sentences
/// of a batch together. Sentences that have produced &lt;/s&gt; leave the batch (once an eighth of the rows are done),
/// so the long tail of a batch does not keep paying for its finished sentences.
/// </summary>
public static class GreedySearch
{
    /// <param name="sources">The batch's source ids (none empty).</param>
    /// <param name="abandoned">Checked at each step per sentence (batch index): true when its result is no longer wanted;
    /// such a sentence ends (&lt;/s&gt;) at this step.</param>
    /// <returns>One hypothesis per sentence, in batch order.</returns>
    public static List<Hypothesis> Decode(IDecodingBackend backend, IReadOnlyList<int[]> sources, SearchOptions options,
        Func<int, bool>? abandoned = null)
    {
        int batch = sources.Count;
        int[] maxLen = sources.Select(s => Math.Min(options.MaxLength(s.Length), backend.MaxTargetLength)).ToArray();
        var request = new StepRequest(TopK: 1, Attention: options.ReturnAttention);
        var state = DecodingWork.Timed(DecodingWork.EncodeSeconds, () => backend.Encode(sources));
        try
        {
            var y = Enumerable.Repeat((long)Vocabulary.Bos, batch).ToArray();        // previous token per row
            var rows = Enumerable.Range(0, batch).ToArray();                       // sentence of each batch row
            var running = Enumerable.Repeat(true, batch).ToArray();                // per row: still decoding
            int runningRows = batch;
            var tokens = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
            var logProb = new double[batch];
            var attention = options.ReturnAttention ? Enumerable.Range(0, batch).Select(_ => new List<float[]>()).ToArray() : null;
            var gates = options.ReturnAttention ? Enumerable.Range(0, batch).Select(_ => new List<float>()).ToArray() : null;
            var results = new Hypothesis[batch];
            int steps = 0;
            for (int t = 0; runningRows > 0; t++, steps++)
            {
                DecodingWork.RowSteps.Add(rows.Length);
                var step = DecodingWork.Timed(DecodingWork.StepSeconds, () => backend.Step(y, state, request));
                state.Dispose();
                state = step.Next;
                for (int i = 0; i < rows.Length; i++)
                {
                    int b = rows[i];
                    // At the length limit (or once abandoned) only </s> may follow (it is not counted in the limit) and
                    // keeps its own log P; a row whose every token is impossible (NaN log-probs) ends the same way.
                    bool forced = t >= maxLen[b] || abandoned?.Invoke(b) == true || float.IsNegativeInfinity(step.TopLogProbs[i]);
                    int id = forced ? Vocabulary.Eos : step.TopIds[i];
                    float lp = forced ? step.EosLogProbs[i] : step.TopLogProbs[i];
                    y[i] = id;
                    if (!running[i]) continue;
                    logProb[b] += lp;
                    if (attention is not null && step.Attention is not null)
                        attention[b].Add(step.Attention.AsSpan(i * step.SourceLength, sources[b].Length).ToArray());
                    if (gates is not null && step.Gates is not null) gates[b].Add(step.Gates[i]);
                    if (id != Vocabulary.Eos) { tokens[b].Add(id); continue; }
                    // Score as beam search gives it: log P over the length penalty of the output incl. </s>.
                    double penalty = Math.Pow((5.0 + tokens[b].Count + 1) / 6.0, options.LengthPenalty);
                    results[b] = new Hypothesis(tokens[b].ToArray(), logProb[b], logProb[b] / penalty, attention?[b].ToArray(),
                        step.Gates is null ? null : gates?[b].ToArray());
                    running[i] = false;
                    runningRows--;
                }
                if (runningRows > 0 && (rows.Length - runningRows) * 8 >= rows.Length)
                {
                    // Drop the finished rows: their encoder memory, state and previous token.
                    int[] keep = Enumerable.Range(0, rows.Length).Where(i => running[i]).ToArray();
                    var kept = DecodingWork.Timed(DecodingWork.SelectSeconds, () => state.SelectRows(keep));
                    state.Dispose();
                    state = kept;
                    y = keep.Select(i => y[i]).ToArray();
                    rows = keep.Select(i => rows[i]).ToArray();
                    running = Enumerable.Repeat(true, rows.Length).ToArray();
                }
            }
            DecodingWork.FullBatchRowSteps.Add((long)batch * steps);
            return results.ToList();
        }
        finally
        {
            state.Dispose();
        }
    }
}
