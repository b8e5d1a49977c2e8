namespace Seq2Seq.Evaluation;

/// <summary>What <c>s2s evaluate</c> was asked to do; see <see cref="EvaluationRunner"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The hypothesis file (<c>--hyp</c>); null when only <see cref="Pairs"/> are given.</summary>
    public string? Hypothesis { get; init; }

    /// <summary>The reference files (<c>--ref</c>, repeatable), each aligned line by line with the hypothesis.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The BLEU tokenizer (<c>--tokenize</c>): <c>13a</c>, <c>intl</c>, <c>zh</c>, <c>char</c> or <c>none</c>.</summary>
    public string Tokenize { get; init; } = "13a";

    /// <summary>Lowercase for BLEU and chrF (<c>--lowercase</c>); TER is always case-insensitive.</summary>
    public bool Lowercase { get; init; }

    /// <summary>Metric names (<c>--metrics</c>), comma-separated lists allowed; empty means BLEU and chrF.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>Also report sentence BLEU for every line (<c>--sentence</c>).</summary>
    public bool Sentence { get; init; }

    /// <summary>Print one JSON object instead of text (<c>--json</c>).</summary>
    public bool Json { get; init; }

    /// <summary>
    /// <c>hyp,ref</c> sets (<c>--pair</c>, repeatable; more references may follow, comma-separated): each set is
    /// scored and the mean of each metric over the sets is reported. Not combined with <see cref="Hypothesis"/>.
    /// </summary>
    public IReadOnlyList<string> Pairs { get; init; } = [];
}
