using System.Globalization;
using System.Reflection;
using System.Text;

namespace Seq2Seq.Configuration;

/// <summary>
/// The config reference (<c>docs/config-reference.md</c>), generated so that it cannot drift from the code: keys,
/// types, defaults and choices come from <see cref="RunConfig"/> by reflection; each key's description is its inline
/// comment in a commented sample config (<c>configs/bible-es-en.yaml</c>), which a test requires to comment every key.
/// </summary>
public static class ConfigReference
{
    /// <summary>One option: its dotted key, type name, default (as YAML would write it) and accepted values.</summary>
    public sealed record Key(string Path, string Type, string Default, IReadOnlyList<string>? Choices);

    /// <summary>Every leaf key of a run config, in declaration order.</summary>
    public static IReadOnlyList<Key> Keys()
    {
        var keys = new List<Key>();
        Walk(typeof(RunConfig), new RunConfig(), "", keys);
        return keys;
    }

    static void Walk(Type type, object defaults, string prefix, List<Key> keys)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.Name != "EqualityContract"))
        {
            string path = prefix + ConfigLoader.KeyOf(p.Name);
            object value = p.GetValue(defaults)!;
            if (p.PropertyType.IsClass && p.PropertyType != typeof(string)) { Walk(p.PropertyType, value, path + ".", keys); continue; }
            string typeName = p.PropertyType == typeof(int) ? "integer" : p.PropertyType == typeof(double) ? "number"
                : p.PropertyType == typeof(bool) ? "boolean" : "string";
            string text = value switch
            {
                bool b => b ? "true" : "false",
                double d => d.ToString("G", CultureInfo.InvariantCulture).Replace("E", "e"),
                string s => s.Length == 0 ? "\"\"" : s,
                _ => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
            };
            keys.Add(new Key(path, typeName, text, p.GetCustomAttribute<ChoicesAttribute>()?.Values));
        }
    }

    /// <summary>The inline comment of each key in a commented YAML config (nesting by indentation), by dotted key.</summary>
    public static IReadOnlyDictionary<string, string> Comments(string yaml)
    {
        var comments = new Dictionary<string, string>();
        var stack = new List<(int Indent, string Key)>();
        foreach (var raw in yaml.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            string trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            int indent = line.Length - trimmed.Length;
            int colon = trimmed.IndexOf(':');
            if (colon <= 0) continue;
            string key = trimmed[..colon].Trim();
            while (stack.Count > 0 && stack[^1].Indent >= indent) stack.RemoveAt(stack.Count - 1);
            string path = string.Join('.', stack.Select(s => s.Key).Append(key));
            stack.Add((indent, key));
            int hash = CommentStart(trimmed, colon + 1);
            if (hash >= 0) comments[path] = trimmed[(hash + 1)..].Trim();
        }
        return comments;
    }

    /// <summary>Where a YAML line's comment starts: a '#' after whitespace and outside quotes; -1 if none.</summary>
    static int CommentStart(string line, int from)
    {
        char quote = '\0';
        for (int i = from; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') quote = c;
            else if (c == '#' && char.IsWhiteSpace(line[i - 1])) return i;
        }
        return -1;
    }

    /// <summary>The Markdown reference: one table per section, descriptions taken from <paramref name="commentedYaml"/>.</summary>
    public static string Markdown(string commentedYaml, string sourceName)
    {
        var comments = Comments(commentedYaml);
        var md = new StringBuilder();
        md.Append("# Config reference\n\n");
        md.Append("Every key of a run config (`s2s train CONFIG.yaml`, `--set key=value`). Generated from the code by\n");
        md.Append($"`ConfigReference` (types, defaults, choices) and the inline comments of `{sourceName}` (descriptions);\n");
        md.Append("a test fails when this file is out of date — regenerate it with `s2s config-reference > docs/config-reference.md`.\n");
        md.Append("Unknown keys, wrong types and values outside the choices are errors naming the file, line and key.\n");
        foreach (var section in Keys().GroupBy(k => k.Path.Contains('.') ? k.Path[..k.Path.IndexOf('.')] : ""))
        {
            md.Append(section.Key.Length == 0 ? "\n## Top level\n\n" : $"\n## `{section.Key}`\n\n");
            md.Append("| key | type | default | description |\n|---|---|---|---|\n");
            foreach (var k in section)
            {
                string type = k.Choices is null ? k.Type : string.Join(" \\| ", k.Choices.Select(c => $"`{c}`"));
                string description = comments.TryGetValue(k.Path, out var c) ? c.Replace("|", "\\|").Replace("<", "&lt;").Replace(">", "&gt;") : "";
                md.Append($"| `{k.Path}` | {type} | `{k.Default}` | {description} |\n");
            }
        }
        return md.ToString();
    }
}
