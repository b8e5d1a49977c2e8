using Seq2Seq.Data;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Decoding;

/// <summary>Batched greedy search: the most probable token at each step, all sentences of a batch together.</summary>
public static class GreedySearch
{
    /// <param name="src">Source ids [batch, srcLen].</param>
    /// <param name="srcLengths">Lengths [batch] (int64, CPU).</param>
    /// <returns>One hypothesis per sentence, in batch order.</returns>
    public static List<Hypothesis> Decode(Seq2SeqNetwork model, Tensor src, Tensor srcLengths, SearchOptions options)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long[] lengths = srcLengths.data<long>().ToArray();
        int batch = lengths.Length;
        int[] maxLen = lengths.Select(l => Math.Min(options.MaxLength(l), model.MaxTargetLength)).ToArray();
        var (memory, state) = model.Encode(src, srcLengths);
        var y = full(batch, Vocabulary.Bos, dtype: ScalarType.Int64, device: src.device);
        var finished = zeros(batch, dtype: ScalarType.Bool, device: src.device);
        var limits = tensor(maxLen.Select(m => (long)m).ToArray(), device: src.device);
        var tokens = new List<Tensor>();
        var logProbs = new List<Tensor>();
        var weights = new List<Tensor>();
        for (int t = 0; t < maxLen.Max() + 1; t++)
        {
            var (logits, next, w) = model.Step(y, state, memory);
            state = next;
            var logp = logits.log_softmax(-1);                                     // [batch, vocab]
            // At the length limit only </s> may follow (it is not counted in the limit).
            var arg = where(limits.le(t), full_like(y, Vocabulary.Eos), logp.argmax(-1));
            tokens.Add(arg);
            logProbs.Add(logp.gather(1, arg.unsqueeze(1)).squeeze(1));
            if (options.ReturnAttention && w is not null) weights.Add(w);
            finished = finished.logical_or(arg.eq(Vocabulary.Eos));
            y = arg;
            if (finished.all().item<bool>()) break;
            // Free this step's intermediates: keep what the next step reads and the per-step outputs.
            scope.DisposeEverythingBut(memory.Tensors().Concat(state.Tensors()).Concat([y, finished, limits])
                .Concat(tokens).Concat(logProbs).Concat(weights));
        }
        long[] ids = stack(tokens, 1).cpu().data<long>().ToArray();               // [batch, steps]
        float[] lp = stack(logProbs, 1).cpu().data<float>().ToArray();
        float[]? att = weights.Count > 0 ? stack(weights, 1).cpu().data<float>().ToArray() : null; // [batch, steps, srcLen]
        int steps = tokens.Count;
        long srcLen = src.shape[1];
        var result = new List<Hypothesis>(batch);
        for (int b = 0; b < batch; b++)
        {
            var outIds = new List<int>();
            double logProb = 0;
            int used = 0;
            for (int t = 0; t < steps; t++)
            {
                int id = (int)ids[b * steps + t];
                used++;
                logProb += lp[b * steps + t];
                if (id == Vocabulary.Eos) break;
                outIds.Add(id);
            }
            float[][]? rows = null;
            if (att is not null)
            {
                rows = new float[used][];
                for (int t = 0; t < used; t++)
                    rows[t] = att.AsSpan((int)((b * steps + t) * srcLen), (int)lengths[b]).ToArray();
            }
            result.Add(new Hypothesis(outIds.ToArray(), logProb, logProb, rows));
        }
        return result;
    }
}
