using System.Text.RegularExpressions;

namespace Seq2Seq.Configuration;

/// <summary>The form a string option must have (a whole-value regular expression); the binder rejects anything else,
/// naming <see cref="Expected"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern, string expected) : Attribute
{
    public string Pattern { get; } = pattern;
    /// <summary>What the value must be, in words (e.g. "cpu, cuda or cuda:N").</summary>
    public string Expected { get; } = expected;

    public bool Matches(string value) => Regex.IsMatch(value, $"^(?:{Pattern})$", RegexOptions.CultureInvariant);
}
