namespace Seq2Seq.Evaluation;

/// <summary>A TER result.</summary>
/// <param name="Score">TER on a 0–100 scale (edits per reference word, times 100; lower is better).</param>
/// <param name="Edits">Total edits, shifts included (per segment the best reference's).</param>
/// <param name="ReferenceLength">Sum over segments of the mean reference length.</param>
/// <param name="Signature">sacreBLEU's signature, e.g. <c>nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0</c>.</param>
public sealed record TerScore(double Score, double Edits, double ReferenceLength, string Signature);
