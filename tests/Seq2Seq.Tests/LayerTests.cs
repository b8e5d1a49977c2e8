using System.Reflection;
using System.Reflection.Emit;

namespace Seq2Seq.Tests;

/// <summary>
/// The library's namespaces form layers that depend one way (docs/architecture.md draws them): a type may use types
/// of its own namespace and of lower layers, never of a higher layer or of another namespace of its own layer. The
/// check reads the compiled assembly (signatures, fields, locals and every type, method and field a method body
/// names), so a fully qualified reference counts as much as a <c>using</c>.
/// </summary>
public class LayerTests
{
    /// <summary>The layers, lowest first; "Seq2Seq" is the root namespace (Seq2SeqModel, the inference entry point).</summary>
    static readonly string[][] Layers =
    [
        ["Configuration", "Text", "IO"],
        ["Data", "Evaluation"],
        ["Models"],
        ["Decoding"],
        ["Runs", "Distributed"],
        ["Seq2Seq"],
        ["Training"],
        ["Serving", "Reporting", "Interop", "Onnx"],
    ];

    static int LayerOf(string area) => Array.FindIndex(Layers, l => l.Contains(area));

    /// <summary>"Seq2Seq.Data.Foo" → "Data"; the root namespace → "Seq2Seq"; types outside the library → null.</summary>
    static string? AreaOf(Type t)
    {
        string? ns = t.Namespace;
        if (ns is null || t.Assembly != typeof(Seq2SeqModel).Assembly) return null;
        if (ns == "Seq2Seq") return "Seq2Seq";
        return ns.StartsWith("Seq2Seq.", StringComparison.Ordinal) ? ns.Split('.')[1] : null;
    }

    [Fact]
    public void EveryNamespaceHasALayer()
    {
        var unplaced = typeof(Seq2SeqModel).Assembly.GetTypes().Select(AreaOf).OfType<string>().Distinct()
            .Where(a => LayerOf(a) < 0).ToList();
        Assert.True(unplaced.Count == 0, $"namespaces with no layer (add them to LayerTests.Layers and docs/architecture.md): {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void NoLayerReferencesAHigherOneOrAPeer()
    {
        var wrong = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in typeof(Seq2SeqModel).Assembly.GetTypes())
        {
            if (AreaOf(type) is not { } from || LayerOf(from) < 0) continue;
            foreach (var used in References(type))
            {
                if (AreaOf(used) is not { } to || to == from) continue;
                if (LayerOf(to) >= LayerOf(from))
                    wrong.Add($"{Outermost(type).FullName} ({from}, layer {LayerOf(from)}) uses {used.FullName} ({to}, layer {LayerOf(to)})");
            }
        }
        Assert.True(wrong.Count == 0, "references against the layers:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void TheScanSeesReferencesInMethodBodies()
    {
        // Seq2SeqModel names ModelBuilder only in a call inside Load; a scan that missed bodies would pass anything.
        Assert.Contains(typeof(Seq2Seq.Models.ModelBuilder), References(typeof(Seq2SeqModel)));
    }

    static Type Outermost(Type t) => t.DeclaringType is null ? t : Outermost(t.DeclaringType);

    const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The types <paramref name="type"/> names, with generic arguments, array and by-ref element types unwrapped.</summary>
    static IEnumerable<Type> References(Type type) => DirectReferences(type).SelectMany(Unwrap);

    static IEnumerable<Type> Unwrap(Type t)
    {
        if (t.HasElementType) { foreach (var e in Unwrap(t.GetElementType()!)) yield return e; yield break; }
        if (t.IsGenericParameter) yield break;
        if (t.IsGenericType && !t.IsGenericTypeDefinition)
        {
            yield return t.GetGenericTypeDefinition();
            foreach (var a in t.GetGenericArguments()) foreach (var e in Unwrap(a)) yield return e;
            yield break;
        }
        yield return t;
    }

    static IEnumerable<Type> DirectReferences(Type type)
    {
        if (type.BaseType is { } b) yield return b;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var a in type.CustomAttributes) yield return a.AttributeType;
        foreach (var f in type.GetFields(Declared)) yield return f.FieldType;
        foreach (var p in type.GetProperties(Declared)) yield return p.PropertyType;
        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (m is MethodInfo mi) yield return mi.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            if (m.GetMethodBody() is not { } body) continue;
            foreach (var l in body.LocalVariables) yield return l.LocalType;
            foreach (var t in BodyReferences(m, body.GetILAsByteArray() ?? [])) yield return t;
        }
    }

    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types, and the declaring types of the methods and fields, that an IL body's tokens name.</summary>
    static IEnumerable<Type> BodyReferences(MethodBase method, byte[] il)
    {
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? unchecked((short)(0xFE00 | il[i + 1])) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    MemberInfo? member = null;
                    try { member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs); }
                    catch (ArgumentException) { }
                    if (member is Type t) yield return t;
                    else if (member?.DeclaringType is { } declaring)
                    {
                        yield return declaring;
                        if (member is FieldInfo f) yield return f.FieldType;
                        if (member is MethodInfo mi) yield return mi.ReturnType;
                    }
                    i += 4;
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                default: i += 4; break;   // branch targets, int32, float32, string and signature tokens
            }
        }
    }
}
