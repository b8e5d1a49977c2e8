using System.Globalization;
using System.Reflection;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Seq2Seq.Configuration;

/// <summary>
/// Reads a <see cref="RunConfig"/> from YAML with strict checking: unknown keys (with the list of valid ones),
/// wrong types and values outside a key's choices are errors naming the file, line and key.
/// <c>--set a.b=value</c> overrides are applied before binding.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads a config file, applying <paramref name="overrides"/> of the form <c>training.max_steps=100</c>.</summary>
    public static RunConfig Load(string path, IEnumerable<string>? overrides = null)
    {
        if (!File.Exists(path)) throw new ConfigException($"{path}: config file not found");
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path, new UTF8Encoding(false, true)))
                stream.Load(reader);
            root = stream.Documents.Count == 0 ? new YamlMappingNode()
                : stream.Documents[0].RootNode as YamlMappingNode
                  ?? throw new ConfigException($"{path}:1: the config must be a mapping of keys to values");
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{path}:{e.Start.Line}: invalid YAML: {e.InnerException?.Message ?? e.Message}");
        }
        catch (DecoderFallbackException)
        {
            throw new ConfigException($"{path}: not valid UTF-8");
        }
        catch (Exception e) when (e is not ConfigException)
        {
            throw new ConfigException($"{path}: invalid YAML: {e.Message}");   // e.g. a duplicate key
        }
        var fromSet = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        foreach (var o in overrides ?? [])
            fromSet.Add(ApplyOverride(root, o));
        return (RunConfig)Bind(typeof(RunConfig), root, "", path, fromSet);
    }

    /// <summary>Parses a config from YAML text (for tests and for configs stored in a run directory).</summary>
    public static RunConfig Parse(string yaml, string sourceName = "<config>")
    {
        var tmp = Path.Combine(Path.GetTempPath(), $"s2s-config-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(tmp, yaml);
        try { return Load(tmp); }
        catch (ConfigException e) { throw new ConfigException(e.Message.Replace(tmp, sourceName)); }
        finally { File.Delete(tmp); }
    }

    /// <summary>Serialises a config as YAML (the run directory's <c>config.yaml</c>).</summary>
    public static string ToYaml(RunConfig config) =>
        new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Serialize(config);

    /// <summary>The snake_case key of a property name.</summary>
    public static string KeyOf(string propertyName) => UnderscoredNamingConvention.Instance.Apply(propertyName);

    /// <summary>Sets one <c>a.b=value</c> in the tree; returns the value node (errors about it name the --set option).</summary>
    static YamlNode ApplyOverride(YamlMappingNode root, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new ConfigException($"--set {assignment}: expected key=value, e.g. training.max_steps=100");
        string[] keys = assignment[..eq].Trim().Split('.');
        string value = assignment[(eq + 1)..];
        var node = root;
        for (int i = 0; i < keys.Length - 1; i++)
        {
            if (node.Children.TryGetValue(new YamlScalarNode(keys[i]), out var child) && child is YamlMappingNode m)
                node = m;
            else
            {
                var created = new YamlMappingNode();
                node.Children[new YamlScalarNode(keys[i])] = created;
                node = created;
            }
        }
        var valueNode = new YamlScalarNode(value);
        node.Children[new YamlScalarNode(keys[^1])] = valueNode;
        return valueNode;
    }

    // fromSet: the value nodes that came from --set, so that errors about them name the option, not a line of the file.
    static object Bind(Type type, YamlMappingNode node, string prefix, string file, ISet<YamlNode> fromSet)
    {
        object target = Activator.CreateInstance(type)!;
        var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.Name != "EqualityContract")
            .ToDictionary(p => KeyOf(p.Name));
        foreach (var (keyNode, valueNode) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw new ConfigException($"{file}:{keyNode.Start.Line}: keys must be plain names{(prefix.Length == 0 ? "" : " in '" + prefix + "'")}");
            string fullKey = prefix.Length == 0 ? key : prefix + "." + key;
            string where = fromSet.Contains(valueNode) ? $"--set {fullKey}" : $"{file}:{keyNode.Start.Line}";
            if (!props.TryGetValue(key, out var prop))
                throw new ConfigException($"{where}: unknown key '{fullKey}'; valid keys{(prefix.Length == 0 ? "" : " in '" + prefix + "'")}: {string.Join(", ", props.Keys)}");
            prop.SetValue(target, Convert(prop, valueNode, fullKey, where, file, fromSet));
        }
        return target;
    }

    static object? Convert(PropertyInfo prop, YamlNode node, string key, string where, string file, ISet<YamlNode> fromSet)
    {
        Type t = prop.PropertyType;
        if (t.IsClass && t != typeof(string))
        {
            if (node is YamlMappingNode m) return Bind(t, m, key, file, fromSet);
            throw new ConfigException($"{where}: '{key}' must be a mapping with keys: {string.Join(", ", t.GetProperties().Where(p => p.CanWrite && p.Name != "EqualityContract").Select(p => KeyOf(p.Name)))}");
        }
        if (node is not YamlScalarNode scalar)
            throw new ConfigException($"{where}: '{key}' must be a single value, not a list or mapping");
        string text = scalar.Value ?? "";
        object? value = t switch
        {
            _ when t == typeof(string) => text,
            _ when t == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : null,
            _ when t == typeof(double) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null,
            _ when t == typeof(bool) => text.ToLowerInvariant() switch { "true" or "yes" => true, "false" or "no" => false, _ => null },
            _ => throw new InvalidOperationException($"unsupported config type {t}"),
        };
        if (value is null)
        {
            string expected = t == typeof(int) ? "an integer" : t == typeof(double) ? "a number" : "true or false";
            throw new ConfigException($"{where}: '{key}' must be {expected}, got '{text}'");
        }
        if (prop.GetCustomAttribute<ChoicesAttribute>() is { } choices && !choices.Values.Contains(text))
            throw new ConfigException($"{where}: '{key}' must be one of {string.Join(", ", choices.Values)}; got '{text}'");
        if (prop.GetCustomAttribute<PatternAttribute>() is { } pattern && !pattern.Matches(text))
            throw new ConfigException($"{where}: '{key}' must be {pattern.Expected}; got '{text}'");
        return value;
    }
}
