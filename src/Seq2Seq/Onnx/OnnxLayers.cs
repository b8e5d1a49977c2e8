using static TorchSharp.torch;

namespace Seq2Seq.Onnx;

/// <summary>
/// Writes a trained network's layers into an <see cref="OnnxGraph"/>, reading weights by their state_dict names:
/// linear layers (fp32 MatMul, or int8 with per-output-channel weight scales and activations quantised per call),
/// layer normalisation, embeddings (always fp32) and small shape helpers.
/// </summary>
public sealed class OnnxLayers
{
    readonly IReadOnlyDictionary<string, Tensor> parameters;
    readonly Dictionary<string, string> written = new(StringComparer.Ordinal);

    /// <param name="parameters">The network's state_dict.</param>
    /// <param name="int8">Quantise the linear layers' weights to int8.</param>
    public OnnxLayers(OnnxGraph graph, IReadOnlyDictionary<string, Tensor> parameters, bool int8)
    {
        Graph = graph;
        this.parameters = parameters;
        Int8 = int8;
    }

    public OnnxGraph Graph { get; }
    public bool Int8 { get; }

    /// <summary>The parameter of that state_dict name.</summary>
    /// <exception cref="OnnxExportException">The network has no such parameter.</exception>
    public Tensor Param(string name) => parameters.TryGetValue(name, out var t) ? t
        : throw new OnnxExportException($"the network has no parameter '{name}' (found: {string.Join(", ", parameters.Keys.Take(12))}…)");

    public bool Has(string name) => parameters.ContainsKey(name);

    /// <summary>A parameter as an initializer, written once however often it is used.</summary>
    public string Weight(string name) => Weight(name, () => Param(name).detach());

    /// <summary>A tensor computed from parameters (e.g. reordered gates) as an initializer, written once per key.</summary>
    public string Weight(string key, Func<Tensor> make)
    {
        if (written.TryGetValue(key, out var n)) return n;
        using var scope = NewDisposeScope();
        return written[key] = Graph.Initializer(key, make());
    }

    /// <summary>x [..., in] · Wᵀ + b for nn.Linear weights W [out, in] named <paramref name="prefix"/>.weight / .bias.</summary>
    public string Linear(string x, string prefix, bool bias = true) =>
        MatMulWeight(x, prefix + ".weight", () => Param(prefix + ".weight").detach(), bias ? Weight(prefix + ".bias") : null);

    /// <summary>x [..., in] · Wᵀ + b for the parameters named <paramref name="weightName"/> and <paramref name="biasName"/>.</summary>
    public string Linear(string x, string weightName, string biasName) =>
        MatMulWeight(x, weightName, () => Param(weightName).detach(), Weight(biasName));

    /// <summary>x [..., in] · Wᵀ (+ bias) for a weight W [out, in] (written once per <paramref name="key"/>); int8 when
    /// quantising: the weight symmetric per output channel in 7 bits (scale = max|W[o,:]| / 63), the input quantised
    /// per call by DynamicQuantizeLinear (uint8, one scale and zero point per call), MatMulInteger, then both scales.
    /// Seven bits because x86 CPUs without VNNI multiply uint8 × int8 with vpmaddubsw, which adds two products into
    /// a saturating int16: 2 · 255 · 127 overflows it, 2 · 255 · 63 does not (ONNX Runtime's quantiser calls this
    /// reduce_range), so the result is the same exact integer sum on every CPU.</summary>
    public string MatMulWeight(string x, string key, Func<Tensor> weight, string? bias)
    {
        string y;
        if (!Int8)
            y = Graph.Op("MatMul", [x, Weight(key + ".T", () => weight().t())]);
        else
        {
            var (q, scale) = QuantizedWeight(key, weight);
            var dq = Graph.Ops("DynamicQuantizeLinear", [x], 3, []);             // uint8 x, scale, zero point
            var acc = Graph.Op("MatMulInteger", [dq[0], q, dq[2]]);              // int32 [..., out]
            var accF = Graph.Op("Cast", [acc], ("to", (long)OnnxType.Float));
            y = Graph.Op("Mul", [accF, Graph.Op("Mul", [dq[1], scale])]);       // × x scale × per-channel weight scales
        }
        return bias is null ? y : Graph.Op("Add", [y, bias]);
    }

    /// <summary>The largest quantised weight magnitude: 7 bits (see <see cref="MatMulWeight"/>).</summary>
    public const int MaxWeight = 63;

    (string Weight, string Scale) QuantizedWeight(string key, Func<Tensor> weight)
    {
        if (written.TryGetValue(key + ".int8", out var q)) return (q, written[key + ".scale"]);
        using var scope = NewDisposeScope();
        var w = weight();                                                                                  // [out, in]
        var scale = w.abs().amax([1]).clamp_min(1e-12) / MaxWeight;                                        // [out]
        var ints = (w / scale.unsqueeze(1)).round().clamp(-MaxWeight, MaxWeight).t().contiguous();        // [in, out]
        var values = ints.to(ScalarType.Int8).data<sbyte>().ToArray();
        written[key + ".int8"] = Graph.Initializer(key + ".int8", values, ints.shape);
        written[key + ".scale"] = Graph.Initializer(key + ".scale", scale.contiguous().data<float>().ToArray(), scale.shape);
        return (written[key + ".int8"], written[key + ".scale"]);
    }

    /// <summary>LayerNormalization over the last axis (TorchSharp's default epsilon 1e-5).</summary>
    public string LayerNorm(string x, string prefix, double epsilon = 1e-5) =>
        Graph.Op("LayerNormalization", [x, Weight(prefix + ".weight"), Weight(prefix + ".bias")], ("axis", -1L), ("epsilon", (float)epsilon));

    /// <summary>Rows of an embedding matrix (fp32 always): ids [...] → [..., dim].</summary>
    public string Embedding(string ids, string weightName) => Graph.Op("Gather", [Weight(weightName), ids], ("axis", 0L));

    public string Unsqueeze(string x, params long[] axes) => Graph.Op("Unsqueeze", [x, Graph.Ints(axes)]);
    public string Squeeze(string x, params long[] axes) => Graph.Op("Squeeze", [x, Graph.Ints(axes)]);
    public string Reshape(string x, params long[] shape) => Graph.Op("Reshape", [x, Graph.Ints(shape)]);
    public string Transpose(string x, params long[] perm) => Graph.Op("Transpose", [x], ("perm", perm));
    public string Concat(long axis, params string[] xs) => Graph.Op("Concat", xs, ("axis", axis));
    public string Add(string a, string b) => Graph.Op("Add", [a, b]);
    public string Mul(string a, string b) => Graph.Op("Mul", [a, b]);
    public string Mul(string a, float b) => Graph.Op("Mul", [a, Graph.Scalar(b)]);
    public string Sub(string a, string b) => Graph.Op("Sub", [a, b]);
    public string Sigmoid(string x) => Graph.Op("Sigmoid", [x]);
    public string Tanh(string x) => Graph.Op("Tanh", [x]);
    public string Cast(string x, int to) => Graph.Op("Cast", [x], ("to", (long)to));

    /// <summary>Equal parts of x along <paramref name="axis"/>.</summary>
    public string[] Split(string x, long axis, int parts) => Graph.Ops("Split", [x], parts, [("axis", axis)]);

    /// <summary>Row <paramref name="index"/> of axis <paramref name="axis"/> (that axis removed).</summary>
    public string Take(string x, long axis, long index) => Graph.Op("Gather", [x, Graph.ScalarInt(index)], ("axis", axis));

    /// <summary>Zeros of shape [dim 0 of <paramref name="like"/>, size].</summary>
    public string Zeros(string like, long size) =>
        Graph.Op("Expand", [Graph.Scalar(0), Concat(0, Unsqueeze(Dim(like, 0), 0), Graph.Ints(size))]);

    /// <summary>Dimension <paramref name="axis"/> of x as an int64 scalar.</summary>
    public string Dim(string x, long axis) => Graph.Op("Gather", [Graph.Op("Shape", [x]), Graph.ScalarInt(axis)], ("axis", 0L));

    /// <summary>True where position ≥ length: lengths [batch] → [batch, len] for positions 0 … len − 1 of <paramref name="len"/>.</summary>
    public string PaddingFromLengths(string lengths, string len)
    {
        var positions = Graph.Op("Range", [Graph.ScalarInt(0), len, Graph.ScalarInt(1)]);                // [len]
        return Graph.Op("GreaterOrEqual", [Unsqueeze(positions, 0), Unsqueeze(lengths, 1)]);              // [batch, len]
    }
}
