using Seq2Seq.Data;

namespace Seq2Seq.Decoding;

/// <summary>Decodes many sources in length-sorted batches and returns the results in input order.</summary>
public static class CorpusDecoder
{
    /// <summary>Greedy search when the beam size is 1 and one hypothesis is wanted, else beam search.</summary>
    /// <param name="sources">Source ids, none empty.</param>
    /// <param name="abandoned">Per source index: true once its result is no longer wanted. Checked before each batch and
    /// at each search step; an abandoned source leaves its batch and gets an empty or cut-short result.</param>
    /// <returns>Per source its n-best hypotheses, best first.</returns>
    public static List<List<Hypothesis>> Decode(IDecodingBackend backend, IReadOnlyList<int[]> sources, SearchOptions options,
        int batchSize, Func<int, bool>? abandoned = null)
    {
        var output = new List<Hypothesis>[sources.Count];
        foreach (var indices in BatchPlanner.DecodingBatches(sources, batchSize))
        {
            if (abandoned is not null && indices.All(i => abandoned(i)))
            {
                foreach (int i in indices) output[i] = [];
                continue;
            }
            var batch = indices.Select(i => sources[i]).ToList();
            Func<int, bool>? left = abandoned is null ? null : b => abandoned(indices[b]);
            var hyps = options.BeamSize <= 1 && options.NBest <= 1
                ? GreedySearch.Decode(backend, batch, options, left).Select(h => new List<Hypothesis> { h }).ToList()
                : BeamSearch.Decode(backend, batch, options, left);
            for (int i = 0; i < indices.Length; i++) output[indices[i]] = hyps[i];
        }
        return output.ToList();
    }
}
