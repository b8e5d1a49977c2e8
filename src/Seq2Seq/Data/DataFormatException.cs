namespace Seq2Seq.Data;

/// <summary>
/// A data file violates its format. The message reads <c>"{file}:{line}: {field}: {problem}"</c>, for example
/// <c>train.tsv:17: columns: expected at least 3 tab-separated columns, found 2</c>.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for one place in one file.</summary>
    /// <param name="file">The file's path as the caller gave it.</param>
    /// <param name="line">The 1-based line number.</param>
    /// <param name="field">What is wrong, in one word: <c>encoding</c>, <c>columns</c>, <c>source</c>, ...</param>
    /// <param name="problem">A sentence describing the problem.</param>
    public DataFormatException(string file, int line, string field, string problem)
        : base(Format(file, line, field, problem))
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file's path as the caller gave it.</summary>
    public string File { get; }

    /// <summary>The 1-based line number.</summary>
    public int Line { get; }

    /// <summary>The part of the line (or file) that is wrong, e.g. <c>encoding</c>, <c>columns</c>, <c>target</c>.</summary>
    public string Field { get; }

    /// <summary>The description of the problem, without the location prefix.</summary>
    public string Problem { get; }

    /// <summary>Formats a location and problem the way <see cref="Exception.Message"/> shows them.</summary>
    public static string Format(string file, int line, string field, string problem) =>
        $"{file}:{line}: {field}: {problem}";
}
