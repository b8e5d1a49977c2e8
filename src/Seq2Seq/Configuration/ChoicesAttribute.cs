namespace Seq2Seq.Configuration;

/// <summary>The values a string option accepts; the binder rejects anything else with the list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ChoicesAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
