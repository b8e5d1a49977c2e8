namespace Seq2Seq.Evaluation;

/// <summary>
/// Word-level Levenshtein distance from a hypothesis to a fixed reference as sacreBLEU's TER computes it: only a
/// band of cells around the length-scaled diagonal is filled (25 cells each side, wider when the lengths differ by
/// more than a factor of 50; the last row is filled whole), ties prefer match/substitution, then deletion, then
/// insertion, and the trace of operations is returned with the distance. sacreBLEU also caches rows by hypothesis
/// prefix; every row depends only on its prefix, so the cache changes speed, not results, and is left out.
/// </summary>
internal sealed class BeamEditDistance
{
    public const char Match = ' ', Substitute = 's', Insert = 'i', Delete = 'd';
    const int BeamWidth = 25;
    const long Infinity = 10_000_000_000_000_000;

    readonly IReadOnlyList<string> _reference;

    public BeamEditDistance(IReadOnlyList<string> reference) => _reference = reference;

    /// <summary>The distance and the trace: <c>d</c> consumes a hypothesis word, <c>i</c> a reference word.</summary>
    public (int Distance, string Trace) Compute(IReadOnlyList<string> hypothesis)
    {
        int nH = hypothesis.Count, nR = _reference.Count;
        var cost = new long[nH + 1, nR + 1];
        var op = new char[nH + 1, nR + 1];
        for (int j = 0; j <= nR; j++) { cost[0, j] = j; op[0, j] = Insert; }
        for (int i = 1; i <= nH; i++)
            for (int j = 0; j <= nR; j++) { cost[i, j] = Infinity; op[i, j] = 'x'; }

        double lengthRatio = nH > 0 ? (double)nR / nH : 1.0;
        int beam = BeamWidth < lengthRatio / 2 ? (int)Math.Ceiling(lengthRatio / 2 + BeamWidth) : BeamWidth;

        for (int i = 1; i <= nH; i++)
        {
            int diagonal = (int)Math.Floor(i * lengthRatio);
            int minJ = Math.Max(0, diagonal - beam);
            int maxJ = i == nH ? nR + 1 : Math.Min(nR + 1, diagonal + beam);
            for (int j = minJ; j < maxJ; j++)
            {
                if (j == 0)
                {
                    cost[i, 0] = cost[i - 1, 0] + 1;
                    op[i, 0] = Delete;
                    continue;
                }
                bool same = string.Equals(hypothesis[i - 1], _reference[j - 1], StringComparison.Ordinal);
                Consider(cost[i - 1, j - 1] + (same ? 0 : 1), same ? Match : Substitute);
                Consider(cost[i - 1, j] + 1, Delete);
                Consider(cost[i, j - 1] + 1, Insert);

                void Consider(long candidate, char name)
                {
                    if (cost[i, j] > candidate) { cost[i, j] = candidate; op[i, j] = name; }
                }
            }
        }

        var trace = new List<char>(nH + nR);
        for (int i = nH, j = nR; i > 0 || j > 0;)
        {
            char o = op[i, j];
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
        return ((int)cost[nH, nR], new string(trace.ToArray()));
    }
}
