using System.Text;

namespace Seq2Seq.Evaluation;

/// <summary>
/// Reads hypothesis and reference files the way sacreBLEU's command line does: strict UTF-8 (a byte-order mark is
/// kept as a character), lines split on <c>\n</c> only, each line right-stripped as Python's <c>str.rstrip()</c>
/// does, empty lines kept as segments, and no segment after a final newline.
/// </summary>
public static class SegmentFiles
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The segments of one file.</summary>
    /// <exception cref="EvaluationInputException">The file cannot be read or is not valid UTF-8 (the message names the line).</exception>
    public static IReadOnlyList<string> Read(string path) =>
        ReadLines(path).Select(Text.PythonText.RStrip).ToList();

    /// <summary>
    /// The raw lines of a file (split on <c>\n</c>, nothing stripped, none after a final newline), decoded as strict UTF-8.
    /// </summary>
    /// <exception cref="EvaluationInputException">The file cannot be read or is not valid UTF-8.</exception>
    public static IReadOnlyList<string> ReadLines(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var problem = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
            throw new EvaluationInputException($"{path}: cannot read: {problem}", e);
        }

        var lines = new List<string>();
        int start = 0;
        while (start < bytes.Length)
        {
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) end = bytes.Length;
            try
            {
                lines.Add(StrictUtf8.GetString(bytes, start, end - start));
            }
            catch (DecoderFallbackException e)
            {
                throw new EvaluationInputException(
                    $"{path}:{lines.Count + 1}: not valid UTF-8 (byte offset {start + Math.Max(e.Index, 0)})", e);
            }
            start = end + 1;
        }
        return lines;
    }

    /// <summary>
    /// The hypothesis segments and one stream of segments per reference file, checked to have the same number of lines.
    /// </summary>
    /// <exception cref="EvaluationInputException">A file cannot be read, or line counts differ (the message names both files and counts).</exception>
    public static (IReadOnlyList<string> Hypotheses, IReadOnlyList<IReadOnlyList<string>> References) ReadAligned(
        string hypothesisPath, IReadOnlyList<string> referencePaths)
    {
        if (referencePaths.Count == 0) throw new EvaluationInputException("no reference file given");
        var hypotheses = Read(hypothesisPath);
        var references = new List<IReadOnlyList<string>>(referencePaths.Count);
        foreach (var path in referencePaths)
        {
            var stream = Read(path);
            if (stream.Count != hypotheses.Count)
                throw new EvaluationInputException(
                    $"line-count mismatch: hypothesis {hypothesisPath} has {hypotheses.Count} lines " +
                    $"but reference {path} has {stream.Count} lines");
            references.Add(stream);
        }
        return (hypotheses, references);
    }
}
