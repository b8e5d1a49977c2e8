namespace Seq2Seq.Data;

/// <summary>What a corpus reader does with a malformed line.</summary>
public enum BadLinePolicy
{
    /// <summary>Throw a <see cref="DataFormatException"/> at the first malformed line.</summary>
    Error,

    /// <summary>Leave the line out and count it in <see cref="CorpusReadResult.Skipped"/>.</summary>
    Skip,
}
