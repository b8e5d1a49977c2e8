using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>An encoder: source ids → states for the attention and a summary for the decoder's initial state.</summary>
public interface IEncoder
{
    /// <summary>Size of each encoder state.</summary>
    int OutputSize { get; }

    /// <param name="src">Source ids [batch, srcLen], padded with &lt;pad&gt;.</param>
    /// <param name="srcLengths">Real lengths [batch] (int64, CPU).</param>
    EncoderOutput Forward(Tensor src, Tensor srcLengths);
}
