using Seq2Seq.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Position information for the Transformer, added to the scaled token embeddings: <c>sinusoidal</c>
/// (Vaswani et al. 2017: PE(p, 2i) = sin(p / 10000^(2i/d)), PE(p, 2i+1) = cos(p / 10000^(2i/d)); no parameters, any
/// length) or <c>learned</c> (a trained table of <c>max_positions</c> rows).
/// </summary>
public sealed class PositionEmbedding : nn.Module
{
    readonly Embedding? table;
    readonly int modelSize;
    readonly int maxPositions;

    public PositionEmbedding(string kind, int modelSize, int maxPositions) : base(nameof(PositionEmbedding))
    {
        this.modelSize = modelSize;
        this.maxPositions = maxPositions;
        if (!PositionKinds.All.Contains(kind))
            throw new ArgumentException($"unknown position kind '{kind}' ({string.Join(", ", PositionKinds.All)})");
        if (kind == PositionKinds.Learned)
        {
            table = nn.Embedding(maxPositions, modelSize);
            nn.init.normal_(table.weight!, 0, Math.Pow(modelSize, -0.5));
        }
        RegisterComponents();
    }

    /// <summary>Positions that can be embedded: max_positions for a learned table, unlimited for sinusoids.</summary>
    public int MaxPositions => table is null ? int.MaxValue : maxPositions;

    /// <summary>Embeddings [1, length, model] of positions first … first + length − 1.</summary>
    public Tensor Forward(long first, long length, Device device)
    {
        if (table is not null)
        {
            if (first + length > maxPositions)
                throw new ArgumentException($"a sequence of {first + length} positions is longer than model.transformer.max_positions ({maxPositions})");
            return table.call(arange(first, first + length, dtype: ScalarType.Int64, device: device).unsqueeze(0));
        }
        var pos = arange(first, first + length, dtype: ScalarType.Float32, device: device).unsqueeze(1);        // [length, 1]
        var rates = exp(arange(0, modelSize, 2, dtype: ScalarType.Float32, device: device) * (-Math.Log(10000.0) / modelSize)); // [model/2]
        var angles = pos * rates;                                                                                // [length, model/2]
        return stack([angles.sin(), angles.cos()], -1).view(1, length, modelSize);                              // sin, cos interleaved
    }
}
