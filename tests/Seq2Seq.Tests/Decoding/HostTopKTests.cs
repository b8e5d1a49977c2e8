using Seq2Seq.Decoding;

namespace Seq2Seq.Tests.Decoding;

/// <summary>The host-side top-k of the ONNX backend: best first, ties to the smaller id, NaN as -∞, at most the
/// vocabulary, and log P(&lt;/s&gt;) and requested tokens read off each row.</summary>
public class HostTopKTests
{
    [Fact]
    public void Each_rows_k_best_with_eos_and_requested_tokens()
    {
        float nan = float.NaN, inf = float.NegativeInfinity;
        float[] logProbs =
        [
            -3f, -1f, -2f, -0.5f, -1f, -9f,       // row 0: 3 best are ids 3, 1, 4 (1 and 4 tie: 1 first)
            nan, -4f, inf, -7f, nan, -2f,         // row 1: NaN reads as -∞
        ];
        var (k, values, ids, eos, tokens) = HostTopK.Of(logProbs, rows: 2, vocab: 6, new StepRequest(3, Tokens: [5, 0]));
        Assert.Equal(3, k);
        Assert.Equal([3, 1, 4, 5, 1, 3], ids);
        Assert.Equal([-0.5f, -1f, -1f, -2f, -4f, -7f], values);
        Assert.Equal([-0.5f, -7f], eos);
        Assert.Equal([-9f, inf], tokens!);

        var all = HostTopK.Of(logProbs, 2, 6, new StepRequest(10));
        Assert.Equal(6, all.K);
        Assert.Equal([5, 1, 3, 0, 2, 4], all.Ids[6..]);   // the -∞ entries last, by id
        Assert.Null(all.Tokens);
    }
}
