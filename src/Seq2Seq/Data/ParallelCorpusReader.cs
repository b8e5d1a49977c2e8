using Seq2Seq.Text;

namespace Seq2Seq.Data;

/// <summary>
/// Reads parallel corpora with the PyTorch reference's rules: strict UTF-8, Python universal newlines, blank
/// (whitespace-only) lines skipped. On top of the reference it rejects (or, under <see cref="BadLinePolicy.Skip"/>,
/// skips) lines with invalid UTF-8 or NUL bytes, too few columns, or an empty side, and ignores a UTF-8 byte order
/// mark at the start of a file.
/// </summary>
public static class ParallelCorpusReader
{
    /// <summary>How many skip messages a <see cref="CorpusReadResult"/> keeps.</summary>
    public const int MaxSkipMessages = 10;

    /// <summary>
    /// Reads a tab-separated file with one pair per line; <paramref name="sourceColumn"/> and
    /// <paramref name="targetColumn"/> are 0-based and other columns are ignored.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">A malformed line under <see cref="BadLinePolicy.Error"/>.</exception>
    public static CorpusReadResult ReadTsv(string path, int sourceColumn, int targetColumn, BadLinePolicy policy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sourceColumn);
        ArgumentOutOfRangeException.ThrowIfNegative(targetColumn);
        var file = Utf8LineFile.Read(path, "corpus file");
        int needed = Math.Max(sourceColumn, targetColumn) + 1;
        var log = new BadLineLog(policy, MaxSkipMessages);
        var pairs = new List<SentencePair>(file.LineCount);
        int blank = 0;

        for (int i = 0; i < file.LineCount; i++)
        {
            int lineNumber = i + 1;
            if (!file.TryDecode(i, out string line, out string problem))
            {
                log.Report(path, lineNumber, "encoding", problem);
                continue;
            }
            if (IsBlank(line))
            {
                blank++;
                continue;
            }
            string[] columns = line.Split('\t');
            if (columns.Length < needed)
            {
                log.Report(path, lineNumber, "columns",
                    $"expected at least {needed} tab-separated columns, found {columns.Length}");
                continue;
            }
            string source = columns[sourceColumn];
            string target = columns[targetColumn];
            if (IsBlank(source))
            {
                log.Report(path, lineNumber, "source", $"column {sourceColumn} (0-based) is empty or whitespace only");
                continue;
            }
            if (IsBlank(target))
            {
                log.Report(path, lineNumber, "target", $"column {targetColumn} (0-based) is empty or whitespace only");
                continue;
            }
            pairs.Add(new SentencePair(source, target, lineNumber));
        }
        return new CorpusReadResult(pairs, blank + log.Count, log.Messages) { BlankLines = blank };
    }

    /// <summary>
    /// Reads two line-aligned files (line n of one is the translation of line n of the other). A line blank in both
    /// files is skipped; blank in only one is an empty side. The files must have the same number of lines.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="DataFormatException">
    /// The line counts differ (always thrown), or a malformed line under <see cref="BadLinePolicy.Error"/>.
    /// </exception>
    public static CorpusReadResult ReadAligned(string sourcePath, string targetPath, BadLinePolicy policy)
    {
        var sourceFile = Utf8LineFile.Read(sourcePath, "source file");
        var targetFile = Utf8LineFile.Read(targetPath, "target file");
        if (sourceFile.LineCount != targetFile.LineCount)
            throw new DataFormatException(targetPath, Math.Min(sourceFile.LineCount, targetFile.LineCount) + 1, "lines",
                $"line counts differ: {sourcePath} has {sourceFile.LineCount} lines, {targetPath} has {targetFile.LineCount}");

        var log = new BadLineLog(policy, MaxSkipMessages);
        var pairs = new List<SentencePair>(sourceFile.LineCount);
        int blank = 0;
        for (int i = 0; i < sourceFile.LineCount; i++)
        {
            int lineNumber = i + 1;
            if (!sourceFile.TryDecode(i, out string source, out string problem))
            {
                log.Report(sourcePath, lineNumber, "encoding", problem);
                continue;
            }
            if (!targetFile.TryDecode(i, out string target, out problem))
            {
                log.Report(targetPath, lineNumber, "encoding", problem);
                continue;
            }
            bool sourceBlank = IsBlank(source), targetBlank = IsBlank(target);
            if (sourceBlank && targetBlank)
                blank++;
            else if (sourceBlank)
                log.Report(sourcePath, lineNumber, "source", "the line is empty or whitespace only but the target line is not");
            else if (targetBlank)
                log.Report(targetPath, lineNumber, "target", "the line is empty or whitespace only but the source line is not");
            else
                pairs.Add(new SentencePair(source, target, lineNumber));
        }
        return new CorpusReadResult(pairs, blank + log.Count, log.Messages) { BlankLines = blank };
    }

    // Python's `not s.strip()`.
    static bool IsBlank(string s)
    {
        foreach (char c in s)
            if (!PythonText.IsWhitespace(c)) return false;
        return true;
    }
}
