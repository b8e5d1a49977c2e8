using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>Copy attention's gate: g = σ(w · features + b), the probability of generating from the vocabulary rather
/// than copying a source token (<see cref="PointerGenerator"/>). The features are the decoder's: for the RNN the
/// attention context, the decoder state and the input embedding (See et al. 2017); for the Transformer its output
/// vector and the input embedding.</summary>
public sealed class CopyGate : nn.Module
{
    readonly Linear linear;

    public CopyGate(int featureSize) : base(nameof(CopyGate))
    {
        linear = nn.Linear(featureSize, 1);
        RegisterComponents();
    }

    /// <param name="features">The decoder features, concatenated in the last dimension [..., featureSize].</param>
    /// <returns>g [..., 1].</returns>
    public Tensor Forward(params Tensor[] features) => linear.call(cat(features, -1)).sigmoid();
}
