using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Decoder data with one row per sentence (the encoder memory) or per hypothesis (the step state). Beam search
/// expands, reorders and drops rows with <see cref="Select"/>; the searches keep <see cref="Tensors"/> alive when they
/// free a step's intermediates.
/// </summary>
public interface IDecoderRows
{
    /// <summary>The rows <paramref name="rows"/> [n] (int64 indices, repeats allowed), in that order.</summary>
    IDecoderRows Select(Tensor rows);

    /// <summary>Every tensor this data holds.</summary>
    IEnumerable<Tensor> Tensors();
}
