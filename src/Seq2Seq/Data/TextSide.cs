namespace Seq2Seq.Data;

/// <summary>The source or the target side of a parallel corpus.</summary>
public enum TextSide
{
    /// <summary>The input language.</summary>
    Source,
    /// <summary>The output language.</summary>
    Target,
}
