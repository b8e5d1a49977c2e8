using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Decoding;

/// <summary>
/// Batched beam search. Each step keeps the k best of the k·V expansions of every sentence (by summed log P);
/// expansions ending in &lt;/s&gt; move to the sentence's finished list with score log P / lp, lp = ((5 + |y|) / 6)^α
/// (GNMT, |y| counting &lt;/s&gt;). A sentence is done when no live hypothesis can still enter its n-best list: log P
/// only falls as a hypothesis grows, so a live one with log P s ends with a score of at most s / lp, lp taken at the
/// length where it is largest (the length limit for α ≥ 0); once the n-th best finished score reaches that bound for
/// the best live s, or no live candidate is left (at the length limit only &lt;/s&gt; is allowed), the sentence is
/// done and leaves the batch. The result is the search's best under the penalty, not a candidate that merely ended
/// first. With <see cref="SearchOptions.BeamStop"/> <c>early</c> a sentence is instead done once its most probable
/// candidate ends in &lt;/s&gt; and n finished hypotheses exist (OpenNMT-py's rule): fewer steps, biased to shorter
/// output when α &gt; 0. Beam size 1 gives exactly the greedy output under either rule.
/// </summary>
public static class BeamSearch
{
    /// <param name="abandoned">Checked at each step per live sentence (batch index): true when its result is no longer
    /// wanted (the request was cancelled); such a sentence may only end, so it leaves the batch at this step.</param>
    /// <returns>Per sentence (batch order) its n-best hypotheses, best first.</returns>
    public static List<List<Hypothesis>> Decode(Seq2SeqNetwork model, Tensor src, Tensor srcLengths, SearchOptions options,
        Func<int, bool>? abandoned = null)
    {
        int k = options.BeamSize;
        int nbest = options.NBest;
        if (nbest > k) throw new ArgumentException($"nbest ({nbest}) cannot exceed the beam size ({k})");
        bool early = options.BeamStop switch
        {
            BeamStops.Exact => false,
            BeamStops.Early => true,
            _ => throw new ArgumentException($"unknown beam stop rule '{options.BeamStop}' (expected {string.Join(", ", BeamStops.All)})"),
        };
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long[] lengths = srcLengths.data<long>().ToArray();
        int batch = lengths.Length;
        int srcLen = (int)src.shape[1];
        var device = src.device;

        var (memory, state) = model.Encode(src, srcLengths);
        var expand = arange(batch, device: device).repeat_interleave(k);        // beams of sentence b: rows b·k .. b·k+k−1
        memory = memory.Select(expand);
        state = state.Select(expand);
        var y = full(batch * k, Vocabulary.Bos, dtype: ScalarType.Int64, device: device);
        var hostScores = new float[batch * k];
        for (int r = 0; r < hostScores.Length; r++) hostScores[r] = r % k == 0 ? 0f : float.NegativeInfinity;

        var alive = Enumerable.Range(0, batch).ToList();                        // original sentence of each row group
        var seqs = Enumerable.Range(0, batch * k).Select(_ => new List<int>()).ToList();
        var atts = options.ReturnAttention ? Enumerable.Range(0, batch * k).Select(_ => new List<float[]>()).ToList() : null;
        var finished = Enumerable.Range(0, batch).Select(_ => new List<Hypothesis>()).ToList();
        var results = new List<Hypothesis>[batch];

        int steps = 0;
        for (int t = 0; alive.Count > 0; t++, steps++)
        {
            int n = alive.Count;
            DecodingWork.RowSteps.Add((long)n * k);
            var (logits, next, weights) = model.Step(y, state, memory);
            // NaN (broken weights) counts as an impossible token, so the search still ends (with no hypothesis).
            var logp = logits.log_softmax(-1).nan_to_num(double.NegativeInfinity, neginf: double.NegativeInfinity); // [n·k, V]
            long vocab = logp.shape[1];
            var maxLength = alive.Select(b => Math.Min(options.MaxLength(lengths[b]), model.MaxTargetLength)).ToArray();
            var forced = alive.Select((b, i) => t >= maxLength[i] || abandoned?.Invoke(b) == true).ToArray();
            if (forced.Any(f => f))
            {
                // Only </s> may follow; it keeps its own log-probability, so LogProb stays the true log P(y|x).
                var rowsForced = tensor(forced.SelectMany(f => Enumerable.Repeat(f, k)).ToArray(), device: device);
                var notEos = ones(vocab, dtype: ScalarType.Bool, device: device).index_fill(0, tensor(new long[] { Vocabulary.Eos }, device: device), false);
                logp = logp.masked_fill(rowsForced.unsqueeze(1).logical_and(notEos.unsqueeze(0)), float.NegativeInfinity);
            }
            var scores = tensor(hostScores, [n * k], device: device);
            var cand = (scores.unsqueeze(1) + logp).view(n, k * vocab);           // [n, k·V]
            var (topScores, topIndex) = cand.topk(k, 1);                         // [n, k]
            float[] s = topScores.cpu().data<float>().ToArray();
            long[] idx = topIndex.cpu().data<long>().ToArray();
            float[]? w = atts is not null && weights is not null ? weights.cpu().data<float>().ToArray() : null;

            var parent = new long[n * k];
            var tok = new long[n * k];
            var newSeqs = new List<List<int>>(n * k);
            var newAtts = atts is null ? null : new List<List<float[]>>(n * k);
            for (int r = 0; r < n * k; r++)
            {
                parent[r] = r / k * k + idx[r] / vocab;
                tok[r] = idx[r] % vocab;
                newSeqs.Add([.. seqs[(int)parent[r]], (int)tok[r]]);
                if (newAtts is not null)
                {
                    var path = new List<float[]>(atts![(int)parent[r]]);
                    if (w is not null) path.Add(w.AsSpan((int)parent[r] * srcLen, srcLen).ToArray());
                    newAtts.Add(path);
                }
            }
            double lp = Penalty(t + 1, options.LengthPenalty);
            var done = new bool[n];
            for (int bi = 0; bi < n; bi++)
            {
                int b = alive[bi];
                float bestLive = float.NegativeInfinity;
                for (int j = 0; j < k; j++)
                {
                    int r = bi * k + j;
                    if (tok[r] == Vocabulary.Eos)
                    {
                        if (!float.IsNegativeInfinity(s[r]))
                            finished[b].Add(new Hypothesis(newSeqs[r].Take(newSeqs[r].Count - 1).ToArray(), s[r], s[r] / lp,
                                newAtts?[r].Select(a => a[..(int)lengths[b]]).ToArray()));
                        s[r] = float.NegativeInfinity;
                    }
                    else bestLive = Math.Max(bestLive, s[r]);
                }
                done[bi] = float.IsNegativeInfinity(bestLive) || (finished[b].Count >= nbest && (early
                    ? tok[bi * k] == Vocabulary.Eos
                    : NthBestScore(finished[b], nbest) >= bestLive / LargestPenalty(t + 2, maxLength[bi] + 1, options.LengthPenalty)));
                if (done[bi])
                    results[b] = finished[b].OrderByDescending(h => h.Score).Take(nbest).ToList();
            }

            var parentRows = tensor(parent, device: device);
            state = next.Select(parentRows);
            y = tensor(tok, device: device);
            hostScores = s;
            seqs = newSeqs;
            atts = newAtts;
            if (done.Any(d => d))
            {
                var keep = Enumerable.Range(0, n).Where(bi => !done[bi]).ToArray();
                var keepRows = keep.SelectMany(bi => Enumerable.Range(bi * k, k)).ToArray();
                var keepTensor = tensor(keepRows.Select(r => (long)r).ToArray(), device: device);
                memory = memory.Select(keepTensor);
                state = state.Select(keepTensor);
                y = y.index_select(0, keepTensor);
                hostScores = keepRows.Select(r => s[r]).ToArray();
                seqs = keepRows.Select(r => seqs[r]).ToList();
                atts = atts is null ? null : keepRows.Select(r => atts[r]).ToList();
                alive = keep.Select(bi => alive[bi]).ToList();
            }
            // Free this step's intermediates (logits, candidates, old states…): only what the next step reads survives.
            scope.DisposeEverythingBut(memory.Tensors().Concat(state.Tensors()).Append(y));
        }
        DecodingWork.FullBatchRowSteps.Add((long)batch * k * steps);
        return results.Select(r => r ?? []).ToList();
    }

    /// <summary>The GNMT length penalty ((5 + |y|) / 6)^α of a hypothesis of <paramref name="length"/> tokens incl. &lt;/s&gt;.</summary>
    static double Penalty(int length, double alpha) => Math.Pow((5.0 + length) / 6.0, alpha);

    /// <summary>The largest penalty of a final length in [<paramref name="shortest"/>, <paramref name="longest"/>]:
    /// dividing a (negative) log P by it gives the best score a live hypothesis can still reach. The penalty is
    /// monotonic in the length, so it is at one end.</summary>
    static double LargestPenalty(int shortest, int longest, double alpha) =>
        Math.Max(Penalty(shortest, alpha), Penalty(Math.Max(shortest, longest), alpha));

    static double NthBestScore(List<Hypothesis> finished, int n)
    {
        if (n == 1) return finished.Max(h => h.Score);
        return finished.Select(h => h.Score).OrderByDescending(x => x).ElementAt(n - 1);
    }
}
