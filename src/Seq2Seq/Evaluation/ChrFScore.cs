namespace Seq2Seq.Evaluation;

/// <summary>A chrF or chrF++ result.</summary>
/// <param name="Score">The F-score on a 0–100 scale.</param>
/// <param name="Name">sacreBLEU's name for the metric: <c>chrF2</c> or <c>chrF2++</c>.</param>
/// <param name="Signature">sacreBLEU's signature, e.g. <c>nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0</c>.</param>
public sealed record ChrFScore(double Score, string Name, string Signature);
