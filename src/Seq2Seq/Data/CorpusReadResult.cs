namespace Seq2Seq.Data;

/// <summary>The outcome of reading a parallel corpus.</summary>
/// <param name="Pairs">The pairs, in file order.</param>
/// <param name="Skipped">
/// Lines that produced no pair: blank (empty or whitespace-only) lines, which are always skipped as the PyTorch
/// reference does, plus, under <see cref="BadLinePolicy.Skip"/>, malformed lines.
/// </param>
/// <param name="SkipMessages">
/// The first <see cref="ParallelCorpusReader.MaxSkipMessages"/> malformed-line messages, formatted as
/// <see cref="DataFormatException"/> formats them. Blank lines get no message.
/// </param>
public sealed record CorpusReadResult(IReadOnlyList<SentencePair> Pairs, int Skipped, IReadOnlyList<string> SkipMessages)
{
    /// <summary>How many of the <see cref="Skipped"/> lines were blank (empty or whitespace-only).</summary>
    public int BlankLines { get; init; }

    /// <summary>How many of the <see cref="Skipped"/> lines were malformed (only non-zero under Skip).</summary>
    public int BadLines => Skipped - BlankLines;
}
