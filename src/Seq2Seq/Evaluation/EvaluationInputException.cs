namespace Seq2Seq.Evaluation;

/// <summary>
/// Bad evaluation input: a missing or unreadable file, invalid UTF-8, a line-count mismatch, a malformed TSV line,
/// an unknown metric or tokenizer. The message names the file, the line where there is one, and the problem, so a
/// command line can print it as it is.
/// </summary>
public sealed class EvaluationInputException : Exception
{
    /// <summary>Creates the exception with a message fit for the user.</summary>
    public EvaluationInputException(string message) : base(message) { }

    /// <summary>Creates the exception with a message fit for the user and the exception that caused it.</summary>
    public EvaluationInputException(string message, Exception innerException) : base(message, innerException) { }
}
