using Seq2Seq.Data;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Decoding;

/// <summary>
/// Batched greedy search: the most probable token at each step, all sentences of a batch together. Sentences that
/// have produced &lt;/s&gt; leave the batch (once an eighth of the rows are done), so the long tail of a batch does
/// not keep paying for its finished sentences.
/// </summary>
public static class GreedySearch
{
    /// <param name="src">Source ids [batch, srcLen].</param>
    /// <param name="srcLengths">Lengths [batch] (int64, CPU).</param>
    /// <param name="abandoned">Checked at each step per sentence (batch index): true when its result is no longer wanted;
    /// such a sentence ends (&lt;/s&gt;) at this step.</param>
    /// <returns>One hypothesis per sentence, in batch order.</returns>
    public static List<Hypothesis> Decode(Seq2SeqNetwork model, Tensor src, Tensor srcLengths, SearchOptions options,
        Func<int, bool>? abandoned = null)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long[] lengths = srcLengths.data<long>().ToArray();
        int batch = lengths.Length;
        int srcLen = (int)src.shape[1];
        var device = src.device;
        int[] maxLen = lengths.Select(l => Math.Min(options.MaxLength(l), model.MaxTargetLength)).ToArray();
        var (memory, state) = model.Encode(src, srcLengths);
        var y = full(batch, Vocabulary.Bos, dtype: ScalarType.Int64, device: device);

        var rows = Enumerable.Range(0, batch).ToArray();                       // sentence of each batch row
        var running = Enumerable.Repeat(true, batch).ToArray();                // per row: still decoding
        int runningRows = batch;
        var tokens = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var logProb = new double[batch];
        var attention = options.ReturnAttention ? Enumerable.Range(0, batch).Select(_ => new List<float[]>()).ToArray() : null;
        var results = new Hypothesis[batch];
        int steps = 0;
        for (int t = 0; runningRows > 0; t++, steps++)
        {
            DecodingWork.RowSteps.Add(rows.Length);
            var (logits, next, w) = model.Step(y, state, memory);      // logits [rows, vocab]
            var logp = logits.log_softmax(-1);
            var arg = logp.argmax(-1);                                          // [rows]
            // At the length limit (or once abandoned) only </s> may follow (it is not counted in the limit).
            var atLimit = rows.Select(b => t >= maxLen[b] || abandoned?.Invoke(b) == true).ToArray();
            if (atLimit.Any(x => x)) arg = where(tensor(atLimit, device: device), full_like(arg, Vocabulary.Eos), arg);
            long[] ids = arg.cpu().data<long>().ToArray();
            float[] lp = logp.gather(1, arg.unsqueeze(1)).cpu().data<float>().ToArray();
            float[]? weights = attention is not null && w is not null ? w.cpu().data<float>().ToArray() : null; // [rows, srcLen]
            for (int i = 0; i < rows.Length; i++)
            {
                if (!running[i]) continue;
                int b = rows[i];
                logProb[b] += lp[i];
                if (weights is not null) attention![b].Add(weights.AsSpan(i * srcLen, (int)lengths[b]).ToArray());
                if (ids[i] != Vocabulary.Eos) { tokens[b].Add((int)ids[i]); continue; }
                // Score as beam search gives it: log P over the length penalty of the output incl. </s>.
                double penalty = Math.Pow((5.0 + tokens[b].Count + 1) / 6.0, options.LengthPenalty);
                results[b] = new Hypothesis(tokens[b].ToArray(), logProb[b], logProb[b] / penalty, attention?[b].ToArray());
                running[i] = false;
                runningRows--;
            }
            state = next;
            y = arg;
            if (runningRows > 0 && (rows.Length - runningRows) * 8 >= rows.Length)
            {
                // Drop the finished rows: their encoder memory, state and previous token.
                long[] keep = Enumerable.Range(0, rows.Length).Where(i => running[i]).Select(i => (long)i).ToArray();
                var keepRows = tensor(keep, device: device);
                memory = memory.Select(keepRows);
                state = state.Select(keepRows);
                y = y.index_select(0, keepRows);
                rows = keep.Select(i => rows[i]).ToArray();
                running = Enumerable.Repeat(true, rows.Length).ToArray();
            }
            // Free this step's intermediates: only what the next step reads survives.
            scope.DisposeEverythingBut(memory.Tensors().Concat(state.Tensors()).Append(y));
        }
        DecodingWork.FullBatchRowSteps.Add((long)batch * steps);
        return results.ToList();
    }
}
