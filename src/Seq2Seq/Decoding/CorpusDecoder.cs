using Seq2Seq.Data;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Decoding;

/// <summary>Decodes many sources in length-sorted batches and returns the results in input order.</summary>
public static class CorpusDecoder
{
    /// <summary>Greedy search when the beam size is 1 and one hypothesis is wanted, else beam search.</summary>
    /// <returns>Per source its n-best hypotheses, best first.</returns>
    public static List<List<Hypothesis>> Decode(Seq2SeqNetwork model, IReadOnlyList<int[]> sources, SearchOptions options,
        int batchSize)
    {
        model.eval();
        var device = model.Device;
        var output = new List<Hypothesis>[sources.Count];
        foreach (var indices in BatchPlanner.DecodingBatches(sources, batchSize))
        {
            using var scope = NewDisposeScope();
            var batch = Batch.Create(sources, null, indices, device);
            var hyps = options.BeamSize <= 1 && options.NBest <= 1
                ? GreedySearch.Decode(model, batch.Source, batch.SourceLengths, options).Select(h => new List<Hypothesis> { h }).ToList()
                : BeamSearch.Decode(model, batch.Source, batch.SourceLengths, options);
            for (int i = 0; i < indices.Length; i++) output[indices[i]] = hyps[i];
        }
        return output.ToList();
    }
}
