using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Seq2Seq.Onnx;

/// <summary>ONNX tensor element types (TensorProto.DataType) the exporter writes.</summary>
public static class OnnxType
{
    public const int Float = 1;
    public const int UInt8 = 2;
    public const int Int8 = 3;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Bool = 9;
}

/// <summary>
/// Builds one ONNX graph (OnnxSharp's protobuf classes): typed inputs and outputs whose dimensions are numbers or
/// named dynamic axes (batch, src_len, step), initializers copied from TorchSharp tensors, and nodes whose outputs
/// get fresh names. <see cref="ToModel"/> wraps it in a ModelProto at <see cref="Opset"/>.
/// </summary>
public sealed class OnnxGraph
{
    /// <summary>The default-domain opset every exported graph imports (LayerNormalization needs 17).</summary>
    public const int Opset = 17;

    /// <summary>IR version matching opset 17.</summary>
    const long IrVersion = 8;

    readonly GraphProto graph;
    readonly HashSet<string> names = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> constants = new(StringComparer.Ordinal);
    int counter;

    public OnnxGraph(string name) => graph = new GraphProto { Name = name };

    /// <summary>Adds a graph input; each dimension is a number (fixed) or a string (a named dynamic axis).</summary>
    public string Input(string name, int elemType, params object[] dims)
    {
        Claim(name);
        graph.Input.Add(ValueInfo(name, elemType, dims));
        return name;
    }

    /// <summary>Makes <paramref name="value"/> a graph output named <paramref name="name"/> (an Identity when the
    /// value already has another name).</summary>
    public void Output(string value, string name, int elemType, params object[] dims)
    {
        if (value != name)
        {
            Claim(name);
            graph.Node.Add(NewNode("Identity", [value], [name], null));
        }
        graph.Output.Add(ValueInfo(name, elemType, dims));
    }

    /// <summary>Adds a float32 or int64 TorchSharp tensor (copied, contiguous) as an initializer.</summary>
    public string Initializer(string name, Tensor t)
    {
        using var c = t.detach().cpu().contiguous();
        return c.dtype switch
        {
            ScalarType.Float32 => Initializer(name, c.data<float>().ToArray(), c.shape),
            ScalarType.Int64 => Initializer(name, c.data<long>().ToArray(), c.shape),
            _ => throw new NotSupportedException($"ONNX export of a {c.dtype} tensor ({name})"),
        };
    }

    public string Initializer(string name, float[] values, long[] dims) => AddInitializer(name, OnnxType.Float, dims, Bytes(values));
    public string Initializer(string name, long[] values, long[] dims) => AddInitializer(name, OnnxType.Int64, dims, Bytes(values));
    public string Initializer(string name, sbyte[] values, long[] dims) => AddInitializer(name, OnnxType.Int8, dims, Bytes(values));

    /// <summary>A float32 scalar constant (one initializer per distinct value).</summary>
    public string Scalar(float value) => Cached($"f:{BitConverter.SingleToInt32Bits(value)}", n => Initializer(n, [value], []));

    /// <summary>An int64 constant, 1-D by default (shapes, axes, indices) or a scalar.</summary>
    public string Ints(params long[] values) => Cached($"i:{string.Join(',', values)}", n => Initializer(n, values, [values.Length]));

    public string ScalarInt(long value) => Cached($"si:{value}", n => Initializer(n, [value], []));

    /// <summary>A node with one output (a fresh name unless given); attributes as (name, value) with value long,
    /// float, string, long[] or float[].</summary>
    public string Op(string type, string?[] inputs, params (string Name, object Value)[] attributes) =>
        Ops(type, inputs, 1, attributes)[0];

    /// <summary>A node with several outputs; optional inputs are passed as null (written as "").</summary>
    public string[] Ops(string type, string?[] inputs, int outputs, (string Name, object Value)[] attributes, string domain = "")
    {
        var outNames = Enumerable.Range(0, outputs).Select(_ => Fresh(type)).ToArray();
        var node = NewNode(type, inputs.Select(i => i ?? "").ToArray(), outNames, attributes);
        if (domain != "") node.Domain = domain;
        graph.Node.Add(node);
        return outNames;
    }

    /// <summary>Whether a node of the given domain has been added (the model then imports that domain).</summary>
    bool Uses(string domain) => graph.Node.Any(n => n.Domain == domain);

    /// <summary>The graph as a model: opset <see cref="Opset"/>, plus com.microsoft 1 when contrib operators are used.</summary>
    public ModelProto ToModel(string producerVersion, string docString = "")
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion, ProducerName = "Seq2Seq.NET", ProducerVersion = producerVersion, Graph = graph,
            DocString = docString,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (Uses("com.microsoft")) model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        return model;
    }

    public byte[] ToBytes(string producerVersion, string docString = "") => ToModel(producerVersion, docString).ToByteArray();

    string Cached(string key, Func<string, string> make)
    {
        if (constants.TryGetValue(key, out var name)) return name;
        name = make(Fresh("const", claim: false));
        constants[key] = name;
        return name;
    }

    string AddInitializer(string name, int elemType, long[] dims, byte[] raw)
    {
        Claim(name);
        var t = new TensorProto { Name = name, DataType = elemType, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        graph.Initializer.Add(t);
        return name;
    }

    // Raw data is little-endian, as ONNX requires (and as this x86-64/arm64 process lays out arrays).
    static byte[] Bytes<T>(T[] values) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    string Fresh(string prefix, bool claim = true)
    {
        string name;
        do name = $"{prefix}_{counter++}"; while (names.Contains(name));
        if (claim) names.Add(name);
        return name;
    }

    void Claim(string name)
    {
        if (!names.Add(name)) throw new InvalidOperationException($"ONNX graph {graph.Name}: the name '{name}' is used twice");
    }

    static ValueInfoProto ValueInfo(string name, int elemType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d switch
            {
                string p => new TensorShapeProto.Types.Dimension { DimParam = p },
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                long l => new TensorShapeProto.Types.Dimension { DimValue = l },
                _ => throw new ArgumentException($"dimension {d} of {name}: a number or an axis name"),
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } },
        };
    }

    static NodeProto NewNode(string type, string[] inputs, string[] outputs, (string Name, object Value)[]? attributes)
    {
        var node = new NodeProto { OpType = type, Name = outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (name, value) in attributes ?? [])
            node.Attribute.Add(Attribute(name, value));
        return node;
    }

    static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case double d: a.Type = AttributeProto.Types.AttributeType.Float; a.F = (float)d; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
            case int[] iss: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(iss.Select(x => (long)x)); break;
            case float[] fs: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(fs); break;
            case string[] ss: a.Type = AttributeProto.Types.AttributeType.Strings; a.Strings.AddRange(ss.Select(ByteString.CopyFromUtf8)); break;
            default: throw new ArgumentException($"attribute {name}: unsupported value type {value.GetType().Name}");
        }
        return a;
    }
}
