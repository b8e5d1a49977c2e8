using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// x · Wᵀ + b for a few rows (one decoder step: a decoding batch of 64, or a training batch's sentences), computed as
/// (W · xᵀ + b)ᵀ. Same product; libtorch's CPU sgemm runs this layout much faster at such shapes, while above
/// <see cref="MaxRows"/> rows it is slower, so there the usual x · Wᵀ is used. The measurements are in
/// docs/performance.md ("Figures behind code choices").
/// </summary>
public static class FewRowLinear
{
    /// <param name="x">[rows, in]</param>
    /// <param name="weight">[out, in], nn.Linear's layout</param>
    /// <param name="bias">[out] or null</param>
    /// <returns>[rows, out]; up to <see cref="MaxRows"/> rows a transposed view (not contiguous)</returns>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias)
    {
        if (x.shape[0] > MaxRows) return bias is null ? mm(x, weight.t()) : addmm(bias, x, weight.t(), 1, 1);
        return (bias is null ? mm(weight, x.t()) : addmm(bias.unsqueeze(1), weight, x.t(), 1, 1)).t();
    }

    /// <summary>The most rows computed as (W · xᵀ)ᵀ (docs/performance.md gives the measurements that chose 64).</summary>
    public const int MaxRows = 64;
}
