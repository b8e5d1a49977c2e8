using System.Text;

namespace Seq2Seq.Data;

/// <summary>
/// An ordered list of byte-pair-encoding merges (Sennrich et al. 2016) and their application to words.
/// A word is a sequence of code points whose last one carries the end-of-word marker <see cref="EndOfWord"/>;
/// the merges are applied lowest rank first until none applies. The resulting units are written in the
/// subword-nmt style: every unit but a word's last ends with <see cref="Continuation"/> ("lowest" → <c>low@@ est</c>).
/// </summary>
public sealed class BpeMerges
{
    /// <summary>Marks the last symbol of a word while learning and applying merges: "w&lt;/w&gt;".</summary>
    public const string EndOfWord = "</w>";

    /// <summary>Ends every output unit that continues into the next one: "low@@".</summary>
    public const string Continuation = "@@";

    const string Header = "#s2s-bpe v1: merges in order, one 'left right' per line; end-of-word marker </w>";
    /// <summary>Words whose segmentation is remembered (least recently used forgotten first): a corpus's frequent words
    /// stay cached, and no stream of new words (a server's inputs) makes the cache grow without bound.</summary>
    public const int MaxCachedWords = 65_536;

    /// <summary>Longer words are segmented every time, not cached: with <see cref="MaxCachedWords"/> this bounds the
    /// cache to a few tens of megabytes.</summary>
    public const int MaxCachedWordLength = 40;

    readonly Dictionary<(string, string), int> _ranks;
    readonly LruCache<string, string[]> _cache = new(MaxCachedWords, StringComparer.Ordinal);

    /// <summary>Words in the segmentation cache now.</summary>
    public int CachedWords => _cache.Count;

    /// <summary>Creates the merge list; earlier merges have priority.</summary>
    public BpeMerges(IReadOnlyList<(string Left, string Right)> merges)
    {
        ArgumentNullException.ThrowIfNull(merges);
        Merges = merges;
        _ranks = new Dictionary<(string, string), int>(merges.Count);
        for (int i = 0; i < merges.Count; i++) _ranks.TryAdd(merges[i], i);
    }

    /// <summary>The merges in the order they were learned.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>Splits one word (no whitespace) into subword units, <see cref="Continuation"/> on all but the last.</summary>
    public IReadOnlyList<string> Segment(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length == 0) return [];
        if (_cache.TryGetValue(word, out var cached)) return cached;
        var symbols = Symbols(word);
        while (symbols.Count > 1)
        {
            int best = int.MaxValue;
            for (int i = 0; i + 1 < symbols.Count; i++)
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out int r) && r < best) best = r;
            if (best == int.MaxValue) break;
            MergeAll(symbols, Merges[best].Left, Merges[best].Right);
        }
        var units = new string[symbols.Count];
        for (int i = 0; i < units.Length; i++)
            units[i] = i + 1 < units.Length ? symbols[i] + Continuation : symbols[i][..^EndOfWord.Length];
        if (word.Length <= MaxCachedWordLength) _cache.Add(word, units);
        return units;
    }

    /// <summary>Joins units back into words: a unit ending in <see cref="Continuation"/> is glued to the next.</summary>
    public static IReadOnlyList<string> JoinUnits(IReadOnlyList<string> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (string unit in units)
        {
            if (unit.EndsWith(Continuation, StringComparison.Ordinal)) { current.Append(unit, 0, unit.Length - Continuation.Length); continue; }
            current.Append(unit);
            words.Add(current.ToString());
            current.Clear();
        }
        if (current.Length > 0) words.Add(current.ToString());   // the output ended inside a word
        return words;
    }

    /// <summary>The code points of <paramref name="word"/>, the last one followed by <see cref="EndOfWord"/>.</summary>
    public static List<string> Symbols(string word)
    {
        var symbols = new List<string>(word.Length);
        for (int i = 0; i < word.Length;)
        {
            int width = UnicodeRules.CodePointWidth(word, i);
            symbols.Add(word.Substring(i, width));
            i += width;
        }
        symbols[^1] += EndOfWord;
        return symbols;
    }

    /// <summary>Replaces every adjacent (left, right), scanning left to right, by their concatenation.</summary>
    public static void MergeAll(List<string> symbols, string left, string right)
    {
        int w = 0;
        for (int r = 0; r < symbols.Count; r++)
        {
            if (r + 1 < symbols.Count && symbols[r] == left && symbols[r + 1] == right)
            {
                symbols[w++] = left + right;
                r++;
            }
            else symbols[w++] = symbols[r];
        }
        symbols.RemoveRange(w, symbols.Count - w);
    }

    /// <summary>Writes the merges (a header line, then one "left right" per line), atomically.</summary>
    public void Save(string path)
    {
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var (l, r) in Merges) sb.Append(l).Append(' ').Append(r).Append('\n');
        IO.AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">Invalid UTF-8, a wrong header, or a line that is not two symbols.</exception>
    public static BpeMerges Load(string path)
    {
        var file = Utf8LineFile.Read(path, "BPE merges file");
        var merges = new List<(string, string)>(Math.Max(0, file.LineCount - 1));
        for (int i = 0; i < file.LineCount; i++)
        {
            if (!file.TryDecode(i, out string line, out string problem))
                throw new DataFormatException(path, i + 1, "encoding", problem);
            if (i == 0)
            {
                if (line != Header) throw new DataFormatException(path, 1, "header", $"expected '{Header}'");
                continue;
            }
            string[] parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new DataFormatException(path, i + 1, "merge", $"expected two symbols separated by one space, found '{line}'");
            merges.Add((parts[0], parts[1]));
        }
        if (file.LineCount == 0) throw new DataFormatException(path, 1, "header", $"empty file; expected '{Header}'");
        return new BpeMerges(merges);
    }
}
