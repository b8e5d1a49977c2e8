namespace Seq2Seq.Evaluation;

/// <summary>Settings of <see cref="ChrF"/>; the defaults give sacreBLEU's chrF2, <c>WordOrder = 2</c> gives chrF2++.</summary>
/// <param name="CharOrder">Highest character n-gram order (6).</param>
/// <param name="WordOrder">Highest word n-gram order: 0 for chrF, 2 for chrF++.</param>
/// <param name="Beta">Weight of recall against precision (2).</param>
/// <param name="Lowercase">Lowercase first, as Python's <c>str.lower()</c> does.</param>
public sealed record ChrFOptions(int CharOrder = 6, int WordOrder = 0, int Beta = 2, bool Lowercase = false);
