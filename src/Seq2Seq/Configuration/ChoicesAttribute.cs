using System.Reflection;

namespace Seq2Seq.Configuration;

/// <summary>The values a string option accepts; the binder rejects anything else with the list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ChoicesAttribute(params string[] values) : Attribute
{
    /// <summary>The values of a kinds class (<see cref="ModelTypes"/>, ...): its static <c>All</c> list, or the list
    /// named by <paramref name="list"/> (e.g. <c>nameof(AttentionTypes.Local)</c>).</summary>
    public ChoicesAttribute(Type kinds, string list = "All") : this(ListOf(kinds, list)) { }

    public IReadOnlyList<string> Values { get; } = values;

    static string[] ListOf(Type kinds, string list) =>
        kinds.GetProperty(list, BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is IReadOnlyList<string> values
            ? [.. values]
            : throw new ArgumentException($"{kinds.Name} has no static list {list}", nameof(list));
}
