namespace Seq2Seq.Evaluation;

/// <summary>Settings of <see cref="Bleu"/>; the defaults are sacreBLEU's.</summary>
/// <param name="Tokenize">Tokenizer name: <c>13a</c> (default), <c>intl</c>, <c>zh</c>, <c>char</c> or <c>none</c>.</param>
/// <param name="Lowercase">Lowercase hypotheses and references first, as Python's <c>str.lower()</c> does.</param>
public sealed record BleuOptions(string Tokenize = "13a", bool Lowercase = false);
