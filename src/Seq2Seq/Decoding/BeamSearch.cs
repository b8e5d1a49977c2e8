using Seq2Seq.Configuration;
using Seq2Seq.Data;

namespace Seq2Seq.Decoding;

/// <summary>
/// Batched beam search over any <see cref="IDecodingBackend"/>. Each step keeps the k best of the k·V expansions of every sentence (by summed log P);
/// expansions ending in &lt;/s&gt; move to the sentence's finished list with score log P / lp, lp = ((5 + |y|) / 6)^α
/// (GNMT, |y| counting &lt;/s&gt;). A sentence is done when no live hypothesis can still enter its n-best list: log P
/// only falls as a hypothesis grows, so a live one with log P s ends with a score of at most s / lp, lp taken at the
/// length where it is largest (the length limit for α ≥ 0); once the n-th best finished score reaches that bound for
/// the best live s, or no live candidate is left (at the length limit only &lt;/s&gt; is allowed), the sentence is
/// done and leaves the batch. The result is the search's best under the penalty, not a candidate that merely ended
/// first. With <see cref="SearchOptions.BeamStop"/> <c>early</c> a sentence is instead done once its most probable
/// candidate ends in &lt;/s&gt; and n finished hypotheses exist (OpenNMT-py's rule): fewer steps, biased to shorter
/// output when α &gt; 0. Beam size 1 gives exactly the greedy output under either rule.
/// The k best of a sentence's k·V expansions lie within the union of its rows' k best next tokens (a row's score is
/// added to all of its expansions), so the backend returns only those (plus log P(&lt;/s&gt;) for rows at their limit)
/// and the selection runs here; ties go to the earlier row, then the smaller token id.
/// </summary>
public static class BeamSearch
{
    /// <param name="sources">The batch's source ids (none empty).</param>
    /// <param name="abandoned">Checked at each step per live sentence (batch index): true when its result is no longer
    /// wanted (the request was cancelled); such a sentence may only end, so it leaves the batch at this step.</param>
    /// <returns>Per sentence (batch order) its n-best hypotheses, best first.</returns>
    public static List<List<Hypothesis>> Decode(IDecodingBackend backend, IReadOnlyList<int[]> sources, SearchOptions options,
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
        int batch = sources.Count;
        int[] lengths = sources.Select(s => s.Length).ToArray();
        var request = new StepRequest(k, Attention: options.ReturnAttention);

        IDecodingState state;
        using (var encoded = DecodingWork.Timed(DecodingWork.EncodeSeconds, () => backend.Encode(sources)))
            state = encoded.SelectRows(Enumerable.Range(0, batch * k).Select(r => r / k).ToArray()); // beams of sentence b: rows b·k .. b·k+k−1
        try
        {
            var y = Enumerable.Repeat((long)Vocabulary.Bos, batch * k).ToArray();
            var hostScores = new float[batch * k];
            for (int r = 0; r < hostScores.Length; r++) hostScores[r] = r % k == 0 ? 0f : float.NegativeInfinity;

            var alive = Enumerable.Range(0, batch).ToList();                        // original sentence of each row group
            var seqs = Enumerable.Range(0, batch * k).Select(_ => new List<int>()).ToList();
            var atts = options.ReturnAttention ? Enumerable.Range(0, batch * k).Select(_ => new List<float[]>()).ToList() : null;
            var gates = options.ReturnAttention ? Enumerable.Range(0, batch * k).Select(_ => new List<float>()).ToList() : null;
            var finished = Enumerable.Range(0, batch).Select(_ => new List<Hypothesis>()).ToList();
            var results = new List<Hypothesis>[batch];

            int steps = 0;
            for (int t = 0; alive.Count > 0; t++, steps++)
            {
                int n = alive.Count;
                DecodingWork.RowSteps.Add((long)n * k);
                var step = DecodingWork.Timed(DecodingWork.StepSeconds, () => backend.Step(y, state, request));
                state.Dispose();
                state = step.Next;
                var maxLength = alive.Select(b => Math.Min(options.MaxLength(lengths[b]), backend.MaxTargetLength)).ToArray();
                // At the length limit (or once abandoned) only </s> may follow; it keeps its own log-probability, so
                // LogProb stays the true log P(y|x).
                var forced = alive.Select((b, i) => t >= maxLength[i] || abandoned?.Invoke(b) == true).ToArray();
                var (s, parent, tok) = Expand(step, hostScores, forced, k);
                float[]? w = atts is not null ? step.Attention : null;
                float[]? g = gates is not null ? step.Gates : null;
                int srcLen = step.SourceLength;

                var newSeqs = new List<List<int>>(n * k);
                var newAtts = atts is null ? null : new List<List<float[]>>(n * k);
                var newGates = gates is null ? null : new List<List<float>>(n * k);
                for (int r = 0; r < n * k; r++)
                {
                    newSeqs.Add([.. seqs[parent[r]], tok[r]]);
                    if (newAtts is not null)
                    {
                        var path = new List<float[]>(atts![parent[r]]);
                        if (w is not null) path.Add(w.AsSpan(parent[r] * srcLen, srcLen).ToArray());
                        newAtts.Add(path);
                    }
                    if (newGates is not null)
                    {
                        var path = new List<float>(gates![parent[r]]);
                        if (g is not null) path.Add(g[parent[r]]);
                        newGates.Add(path);
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
                                    newAtts?[r].Select(a => a[..lengths[b]]).ToArray(), g is null ? null : newGates?[r].ToArray()));
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

                var reordered = DecodingWork.Timed(DecodingWork.SelectSeconds, () => state.Reorder(parent));
                state.Dispose();
                state = reordered;
                y = tok.Select(x => (long)x).ToArray();
                hostScores = s;
                seqs = newSeqs;
                atts = newAtts;
                gates = newGates;
                if (done.Any(d => d))
                {
                    var keep = Enumerable.Range(0, n).Where(bi => !done[bi]).ToArray();
                    var keepRows = keep.SelectMany(bi => Enumerable.Range(bi * k, k)).ToArray();
                    if (keepRows.Length > 0)
                    {
                        var kept = DecodingWork.Timed(DecodingWork.SelectSeconds, () => state.SelectRows(keepRows));
                        state.Dispose();
                        state = kept;
                    }
                    y = keepRows.Select(r => y[r]).ToArray();
                    hostScores = keepRows.Select(r => s[r]).ToArray();
                    seqs = keepRows.Select(r => seqs[r]).ToList();
                    atts = atts is null ? null : keepRows.Select(r => atts[r]).ToList();
                    gates = gates is null ? null : keepRows.Select(r => gates[r]).ToList();
                    alive = keep.Select(bi => alive[bi]).ToList();
                }
            }
            DecodingWork.FullBatchRowSteps.Add((long)batch * k * steps);
            return results.Select(r => r ?? []).ToList();
        }
        finally
        {
            state.Dispose();
        }
    }

    /// <summary>Each sentence's k best expansions (summed log P; a forced row only by &lt;/s&gt;) from its rows' k
    /// best next tokens: their scores, parent rows and tokens, [n·k] in the order of the sentences, best first.</summary>
    static (float[] Scores, int[] Parent, int[] Tokens) Expand(DecodingStep step, float[] rowScores, bool[] forced, int k)
    {
        int n = forced.Length, top = step.TopK;
        var scores = new float[n * k];
        var parent = new int[n * k];
        var tokens = new int[n * k];
        var candidates = new List<(float Score, int Row, int Token)>(k * top);
        for (int bi = 0; bi < n; bi++)
        {
            candidates.Clear();
            for (int j = 0; j < k; j++)
            {
                int r = bi * k + j;
                if (forced[bi]) candidates.Add((rowScores[r] + step.EosLogProbs[r], r, Vocabulary.Eos));
                else
                    for (int c = 0; c < top; c++)
                        candidates.Add((rowScores[r] + step.TopLogProbs[r * top + c], r, step.TopIds[r * top + c]));
            }
            // Best first; ties to the earlier row, then the smaller token (the order of a flat [k·V] index).
            candidates.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Token.CompareTo(b.Token));
            for (int j = 0; j < k; j++)
            {
                var (score, row, token) = candidates[j];
                scores[bi * k + j] = score;
                parent[bi * k + j] = row;
                tokens[bi * k + j] = token;
            }
        }
        return (scores, parent, tokens);
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
