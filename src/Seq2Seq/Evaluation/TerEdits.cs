namespace Seq2Seq.Evaluation;

/// <summary>
/// The number of edits TER counts for one hypothesis against one reference, following sacreBLEU's Tercom-like
/// search: greedily apply the block shift that lowers the edit distance the most (ties: longer block, then earlier
/// block start, then earlier target), each shift costing one edit, until none helps; then add the edit distance.
/// Blocks are at most 10 words, move at most 50 positions, and the search stops after 1000 candidate shifts in all.
/// </summary>
internal static class TerEdits
{
    const int MaxShiftSize = 10;
    const int MaxShiftDistance = 50;
    const int MaxShiftCandidates = 1000;

    /// <summary>Edits and reference length (an empty reference costs one edit per hypothesis word).</summary>
    public static (int Edits, int ReferenceLength) Compute(IReadOnlyList<string> hypothesis, IReadOnlyList<string> reference)
    {
        if (reference.Count == 0) return (hypothesis.Count, 0);

        var distance = new BeamEditDistance(reference);
        int shifts = 0, checkedCandidates = 0;
        var words = hypothesis;
        while (true)
        {
            var (delta, shifted) = BestShift(words, reference, distance, ref checkedCandidates);
            if (checkedCandidates >= MaxShiftCandidates || delta <= 0) break;
            shifts++;
            words = shifted;
        }
        return (shifts + distance.Compute(words).Distance, reference.Count);
    }

    static (int Delta, IReadOnlyList<string> Words) BestShift(
        IReadOnlyList<string> words, IReadOnlyList<string> reference, BeamEditDistance distance, ref int checkedCandidates)
    {
        var (before, hypToRefTrace) = distance.Compute(words);
        var (align, refErr, hypErr) = Alignment(hypToRefTrace);

        (int Delta, int Length, int NegStart, int NegTarget)? best = null;
        IReadOnlyList<string> bestWords = words;
        foreach (var (startH, startR, length) in MatchingBlocks(words, reference))
        {
            if (!AnyError(hypErr, startH, length) || !AnyError(refErr, startR, length)) continue;
            if (startH <= align[startR] && align[startR] < startH + length) continue;

            int previousTarget = -1;
            for (int offset = -1; offset < length; offset++)
            {
                int target;
                if (startR + offset == -1) target = 0;
                else if (startR + offset < align.Length) target = align[startR + offset] + 1;
                else break;
                if (target == previousTarget) continue;
                previousTarget = target;

                var shifted = PerformShift(words, startH, length, target);
                var candidate = (before - distance.Compute(shifted).Distance, length, -startH, -target);
                checkedCandidates++;
                if (best is null || candidate.CompareTo(best.Value) > 0)
                {
                    best = candidate;
                    bestWords = shifted;
                }
            }
            if (checkedCandidates >= MaxShiftCandidates) break;
        }
        return best is null ? (0, words) : (best.Value.Delta, bestWords);
    }

    static bool AnyError(int[] errors, int start, int length)
    {
        for (int k = start; k < Math.Min(errors.Length, start + length); k++)
            if (errors[k] != 0) return true;
        return false;
    }

    // Blocks words[startH..startH+length) == reference[startR..startR+length), every length from 1 up, in the
    // order sacreBLEU enumerates them.
    static IEnumerable<(int StartH, int StartR, int Length)> MatchingBlocks(IReadOnlyList<string> h, IReadOnlyList<string> r)
    {
        for (int startH = 0; startH < h.Count; startH++)
            for (int startR = 0; startR < r.Count; startR++)
            {
                if (Math.Abs(startR - startH) > MaxShiftDistance) continue;
                int length = 0;
                while (length < MaxShiftSize
                       && string.Equals(h[startH + length], r[startR + length], StringComparison.Ordinal))
                {
                    length++;
                    yield return (startH, startR, length);
                    if (h.Count == startH + length || r.Count == startR + length) break;
                }
            }
    }

    // Reads the hypothesis-to-reference trace backwards (reference rewritten into hypothesis, so insertions and
    // deletions swap): align[refPos] = hypothesis position it aligns to, plus error flags on both sides.
    static (int[] Align, int[] RefErr, int[] HypErr) Alignment(string trace)
    {
        int posH = -1, posR = -1;
        var align = new List<int>();
        var refErr = new List<int>();
        var hypErr = new List<int>();
        foreach (char op in trace)
        {
            switch (op)
            {
                case BeamEditDistance.Match or BeamEditDistance.Substitute:
                    int error = op == BeamEditDistance.Match ? 0 : 1;
                    posH++; posR++;
                    align.Add(posH); hypErr.Add(error); refErr.Add(error);
                    break;
                case BeamEditDistance.Delete: // flipped: an inserted hypothesis word
                    posH++;
                    hypErr.Add(1);
                    break;
                case BeamEditDistance.Insert: // flipped: a deleted reference word
                    posR++;
                    align.Add(posH); refErr.Add(1);
                    break;
            }
        }
        return (align.ToArray(), refErr.ToArray(), hypErr.ToArray());
    }

    static List<string> PerformShift(IReadOnlyList<string> words, int start, int length, int target)
    {
        var result = new List<string>(words.Count);
        if (target < start)
        {
            AddSlice(result, words, 0, target);
            AddSlice(result, words, start, start + length);
            AddSlice(result, words, target, start);
            AddSlice(result, words, start + length, words.Count);
        }
        else if (target > start + length)
        {
            AddSlice(result, words, 0, start);
            AddSlice(result, words, start + length, target);
            AddSlice(result, words, start, start + length);
            AddSlice(result, words, target, words.Count);
        }
        else
        {
            AddSlice(result, words, 0, start);
            AddSlice(result, words, start + length, length + target);
            AddSlice(result, words, start, start + length);
            AddSlice(result, words, length + target, words.Count);
        }
        return result;
    }

    // Python's words[from:to] for non-negative bounds.
    static void AddSlice(List<string> result, IReadOnlyList<string> words, int from, int to)
    {
        to = Math.Min(to, words.Count);
        for (int k = from; k < to; k++) result.Add(words[k]);
    }
}
