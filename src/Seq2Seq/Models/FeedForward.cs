using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seq2Seq.Models;

/// <summary>The Transformer's position-wise feed-forward block: W₂ dropout(ReLU(W₁ x + b₁)) + b₂.</summary>
public sealed class FeedForward : nn.Module
{
    readonly Linear inner;
    readonly Linear outer;
    readonly Dropout dropout;

    public FeedForward(int modelSize, int innerSize, double dropoutRate) : base(nameof(FeedForward))
    {
        inner = nn.Linear(modelSize, innerSize);
        outer = nn.Linear(innerSize, modelSize);
        foreach (var layer in new[] { inner, outer })
        {
            nn.init.xavier_uniform_(layer.weight!);
            nn.init.zeros_(layer.bias!);
        }
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>[..., model] → [..., model].</summary>
    public Tensor Forward(Tensor x) => outer.call(dropout.call(F.relu(inner.call(x))));
}
