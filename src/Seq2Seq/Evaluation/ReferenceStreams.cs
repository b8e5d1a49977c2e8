namespace Seq2Seq.Evaluation;

/// <summary>Checks shared by the corpus metrics: references come as one stream per reference, aligned with the hypotheses.</summary>
internal static class ReferenceStreams
{
    /// <exception cref="ArgumentException">There is no reference stream, or one's length differs from the hypotheses'.</exception>
    public static void CheckAligned(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        ArgumentOutOfRangeException.ThrowIfZero(references.Count, nameof(references));
        foreach (var stream in references)
            if (stream.Count != hypotheses.Count)
                throw new ArgumentException(
                    $"a reference stream has {stream.Count} lines but there are {hypotheses.Count} hypotheses",
                    nameof(references));
    }
}
