namespace Seq2Seq.Decoding;

/// <summary>A step's results from log-probabilities held in host memory ([rows, vocab], row-major), for backends
/// whose output is already there: per row the k largest (ties: the smaller id first), log P(&lt;/s&gt;) and the
/// requested tokens' log P, NaN read as -∞.</summary>
public static class HostTopK
{
    /// <summary>The parts of a <see cref="DecodingStep"/> that come from the log-probabilities.</summary>
    public static (int K, float[] Values, int[] Ids, float[] Eos, float[]? Tokens) Of(ReadOnlySpan<float> logProbs, int rows, int vocab,
        StepRequest request)
    {
        int k = Math.Min(request.TopK, vocab);
        var values = new float[rows * k];
        var ids = new int[rows * k];
        var eos = new float[rows];
        var tokens = request.Tokens is null ? null : new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = logProbs.Slice(r * vocab, vocab);
            Row(row, values.AsSpan(r * k, k), ids.AsSpan(r * k, k));
            eos[r] = Finite(row[Data.Vocabulary.Eos]);
            if (tokens is not null) tokens[r] = Finite(row[request.Tokens![r]]);
        }
        return (k, values, ids, eos, tokens);
    }

    static float Finite(float x) => float.IsNaN(x) ? float.NegativeInfinity : x;

    // Insertion into a sorted list of k: O(vocab · k) at worst, O(vocab) for the usual k ≤ 10.
    static void Row(ReadOnlySpan<float> row, Span<float> values, Span<int> ids)
    {
        int k = values.Length, filled = 0;
        for (int v = 0; v < row.Length; v++)
        {
            float x = Finite(row[v]);
            if (filled == k && !(x > values[k - 1])) continue;
            int i = filled < k ? filled++ : k - 1;
            while (i > 0 && x > values[i - 1])
            {
                values[i] = values[i - 1];
                ids[i] = ids[i - 1];
                i--;
            }
            values[i] = x;
            ids[i] = v;
        }
    }
}
