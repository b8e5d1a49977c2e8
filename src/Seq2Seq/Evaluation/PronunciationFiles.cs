namespace Seq2Seq.Evaluation;

/// <summary>
/// Reads pronunciation TSV files for <see cref="G2pErrorRates"/>: <c>word&lt;TAB&gt;phonemes</c>, phonemes separated by
/// whitespace, UTF-8, lines right-stripped, blank lines skipped.
/// A reference word may take several lines (one per pronunciation, as in CMUdict) or several tab-separated
/// pronunciation columns on one line. A hypothesis has one line per word; a line with nothing after the word is an
/// empty (wrong) prediction, and a word repeated with the same prediction counts once.
/// </summary>
public static class PronunciationFiles
{
    /// <summary>One predicted pronunciation and the line it came from (1-based).</summary>
    public sealed record Entry(string Word, IReadOnlyList<string> Phonemes, int Line);

    /// <summary>The predictions of a hypothesis file, one per distinct word, in file order.</summary>
    /// <exception cref="EvaluationInputException">The file is unreadable, a line has more than two columns, or a word has two different predictions.</exception>
    public static IReadOnlyList<Entry> ReadHypotheses(string path)
    {
        var entries = new List<Entry>();
        var seen = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var lines = SegmentFiles.ReadLines(path);
        for (int i = 0; i < lines.Count; i++)
        {
            var line = Text.PythonText.RStrip(lines[i]);
            if (line.Length == 0) continue;
            var columns = line.Split('\t');
            if (columns.Length > 2)
                throw new EvaluationInputException(
                    $"{path}:{i + 1}: expected word<TAB>phonemes but found {columns.Length} tab-separated columns");
            var entry = new Entry(columns[0], columns.Length == 2 ? Text.PythonText.Split(columns[1]) : [], i + 1);
            if (seen.TryGetValue(entry.Word, out var earlier))
            {
                if (!earlier.Phonemes.SequenceEqual(entry.Phonemes, StringComparer.Ordinal))
                    throw new EvaluationInputException(
                        $"{path}:{i + 1}: word '{entry.Word}' already has a different prediction on line {earlier.Line}");
                continue;
            }
            seen.Add(entry.Word, entry);
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>The reference pronunciations of each word, in file order.</summary>
    /// <exception cref="EvaluationInputException">The file is unreadable or a line has no pronunciation.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<string>>> ReadReferences(string path)
    {
        var result = new Dictionary<string, List<IReadOnlyList<string>>>(StringComparer.Ordinal);
        var lines = SegmentFiles.ReadLines(path);
        for (int i = 0; i < lines.Count; i++)
        {
            var line = Text.PythonText.RStrip(lines[i]);
            if (line.Length == 0) continue;
            var columns = line.Split('\t');
            var prons = columns.Skip(1).Select(Text.PythonText.Split).Where(p => p.Count > 0).ToList();
            if (prons.Count == 0)
                throw new EvaluationInputException($"{path}:{i + 1}: expected word<TAB>phonemes but the line has no pronunciation");
            if (!result.TryGetValue(columns[0], out var list)) result.Add(columns[0], list = []);
            list.AddRange(prons);
        }
        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<IReadOnlyList<string>>)kv.Value, StringComparer.Ordinal);
    }
}
