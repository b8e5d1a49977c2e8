using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Which positions of a padded batch hold real tokens, from the sequence lengths. Masks come from the lengths, not from
/// <c>ids != &lt;pad&gt;</c>: whatever id a real token has, it is never masked, so no input can hide every position from
/// the attention (a softmax over nothing is NaN).
/// </summary>
public static class LengthMask
{
    /// <param name="lengths">Real lengths [batch] (int64, any device).</param>
    /// <param name="maxLength">The padded length.</param>
    /// <returns>[batch, maxLength] bool, true where the position is &lt; the row's length.</returns>
    public static Tensor Of(Tensor lengths, long maxLength, Device device) =>
        arange(maxLength, device: device).unsqueeze(0).lt(lengths.to(device).unsqueeze(1));
}
