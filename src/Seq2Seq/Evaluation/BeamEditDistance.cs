namespace Seq2Seq.Evaluation;

/// <summary>
/// Word-level Levenshtein distance from a hypothesis to a fixed reference as sacreBLEU's TER computes it: only a
/// band of cells around the length-scaled diagonal is filled (25 cells each side, wider when the lengths differ by
/// more than a factor of 50; the last row is filled whole), ties prefer match/substitution, then deletion, then
/// insertion, and the trace of operations is returned with the distance.
/// Row i depends only on the first i hypothesis words (every hypothesis given to one instance is a permutation of
/// the same words, so the length and the band are fixed), so computed rows are kept in a prefix tree and reused, as
/// sacreBLEU's cache does (up to 10,000 rows).
/// </summary>
internal sealed class BeamEditDistance
{
    public const char Match = ' ', Substitute = 's', Insert = 'i', Delete = 'd';
    const char Undefined = 'x';
    const int BeamWidth = 25;
    const int MaxCachedRows = 10_000;
    const long Infinity = 10_000_000_000_000_000;

    sealed class Row(long[] cost, char[] op)
    {
        public long[] Cost { get; } = cost;
        public char[] Op { get; } = op;
        public Dictionary<string, Row> Next { get; } = new(StringComparer.Ordinal);
    }

    readonly IReadOnlyList<string> _reference;
    readonly Row _root;
    int _cachedRows;

    public BeamEditDistance(IReadOnlyList<string> reference)
    {
        _reference = reference;
        var cost = new long[reference.Count + 1];
        var op = new char[reference.Count + 1];
        for (int j = 0; j <= reference.Count; j++) { cost[j] = j; op[j] = Insert; }
        _root = new Row(cost, op);
    }

    /// <summary>The distance and the trace: <c>d</c> consumes a hypothesis word, <c>i</c> a reference word.</summary>
    public (int Distance, string Trace) Compute(IReadOnlyList<string> hypothesis)
    {
        int nH = hypothesis.Count, nR = _reference.Count;
        var rows = new List<Row>(nH + 1) { _root };
        var node = _root;
        while (rows.Count <= nH && node.Next.TryGetValue(hypothesis[rows.Count - 1], out var cached))
        {
            rows.Add(cached);
            node = cached;
        }

        double lengthRatio = nH > 0 ? (double)nR / nH : 1.0;
        int beam = BeamWidth < lengthRatio / 2 ? (int)Math.Ceiling(lengthRatio / 2 + BeamWidth) : BeamWidth;

        for (int i = rows.Count; i <= nH; i++)
        {
            var above = rows[i - 1];
            var cost = new long[nR + 1];
            var op = new char[nR + 1];
            Array.Fill(cost, Infinity);
            Array.Fill(op, Undefined);

            int diagonal = (int)Math.Floor(i * lengthRatio);
            int minJ = Math.Max(0, diagonal - beam);
            int maxJ = i == nH ? nR + 1 : Math.Min(nR + 1, diagonal + beam);
            var word = hypothesis[i - 1];
            for (int j = minJ; j < maxJ; j++)
            {
                if (j == 0)
                {
                    cost[0] = above.Cost[0] + 1;
                    op[0] = Delete;
                    continue;
                }
                bool same = string.Equals(word, _reference[j - 1], StringComparison.Ordinal);
                long best = above.Cost[j - 1] + (same ? 0 : 1);
                char bestOp = same ? Match : Substitute;
                if (cost[j] > best) { cost[j] = best; op[j] = bestOp; }
                if (cost[j] > above.Cost[j] + 1) { cost[j] = above.Cost[j] + 1; op[j] = Delete; }
                if (cost[j] > cost[j - 1] + 1) { cost[j] = cost[j - 1] + 1; op[j] = Insert; }
            }

            var row = new Row(cost, op);
            rows.Add(row);
            if (_cachedRows < MaxCachedRows && node.Next.TryAdd(word, row)) _cachedRows++;
            node = row;
        }

        var trace = new List<char>(nH + nR);
        for (int i = nH, j = nR; i > 0 || j > 0;)
        {
            char o = rows[i].Op[j];
            trace.Add(o);
            switch (o)
            {
                case Match or Substitute: i--; j--; break;
                case Insert: j--; break;
                case Delete: i--; break;
                default: throw new InvalidOperationException("TER edit distance reached a cell outside its beam");
            }
        }
        trace.Reverse();
        return ((int)rows[nH].Cost[nR], new string(trace.ToArray()));
    }
}
