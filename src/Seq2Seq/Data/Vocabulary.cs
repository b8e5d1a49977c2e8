using System.Text;

namespace Seq2Seq.Data;

/// <summary>
/// A token vocabulary: the four specials (<c>&lt;unk&gt;</c>=0, <c>&lt;pad&gt;</c>=1, <c>&lt;s&gt;</c>=2,
/// <c>&lt;/s&gt;</c>=3) followed by the corpus tokens, as the reference builds it. The specials are ids, never text: a
/// token read from text that spells one of them ("&lt;pad&gt;" typed by a user, or in a corpus) is an unknown word and
/// encodes as <see cref="Unk"/>, so no input can pose as padding (masked out of attention and the loss) or as a
/// sentence boundary.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>Id of the unknown token.</summary>
    public const int Unk = 0;

    /// <summary>Id of the padding token.</summary>
    public const int Pad = 1;

    /// <summary>Id of the beginning-of-sentence token.</summary>
    public const int Bos = 2;

    /// <summary>Id of the end-of-sentence token.</summary>
    public const int Eos = 3;

    /// <summary>The special tokens, in id order.</summary>
    public static readonly IReadOnlyList<string> Specials = ["<unk>", "<pad>", "<s>", "</s>"];

    readonly string[] _tokens;
    readonly Dictionary<string, int> _ids;

    Vocabulary(string[] tokens, Dictionary<string, int> ids)
    {
        _tokens = tokens;
        _ids = ids;
    }

    /// <summary>Number of tokens, specials included.</summary>
    public int Count => _tokens.Length;

    /// <summary>All tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>The id of <paramref name="token"/>, or <see cref="Unk"/> when it is not in the vocabulary or spells a special.</summary>
    public int this[string token] => IdOf(token);

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string this[int id] => (uint)id < (uint)_tokens.Length
        ? _tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"The vocabulary has {_tokens.Length} tokens.");

    /// <summary>
    /// Builds a vocabulary: the specials, then tokens seen at least <paramref name="minFrequency"/> times (specials
    /// excluded) by descending count, ties in code point order, cut to <paramref name="maxSize"/> tokens (0 = no
    /// limit; the specials are not counted).
    /// </summary>
    public static Vocabulary Build(IEnumerable<IReadOnlyList<string>> tokenLists, int minFrequency, int maxSize)
    {
        ArgumentNullException.ThrowIfNull(tokenLists);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tokens in tokenLists)
            foreach (string token in tokens)
                counts[token] = counts.GetValueOrDefault(token) + 1;

        var items = counts.Where(kv => kv.Value >= minFrequency && !Specials.Contains(kv.Key)).ToList();
        items.Sort((a, b) => a.Value != b.Value
            ? b.Value.CompareTo(a.Value)
            : CodePointComparer.Instance.Compare(a.Key, b.Key));
        if (maxSize > 0 && items.Count > maxSize) items.RemoveRange(maxSize, items.Count - maxSize);
        return FromTokens(Specials.Concat(items.Select(kv => kv.Key)));
    }

    /// <summary>Makes a vocabulary from a complete token list (e.g. one stored in a checkpoint).</summary>
    /// <exception cref="ArgumentException">The specials are not first, or a token occurs twice.</exception>
    public static Vocabulary FromTokens(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        string[] array = tokens.ToArray();
        string? problem = CheckSpecials(array);
        if (problem is not null) throw new ArgumentException(problem, nameof(tokens));
        var ids = new Dictionary<string, int>(array.Length, StringComparer.Ordinal);
        for (int i = 0; i < array.Length; i++)
            if (!ids.TryAdd(array[i], i))
                throw new ArgumentException($"Token '{array[i]}' occurs at ids {ids[array[i]]} and {i}.", nameof(tokens));
        return new Vocabulary(array, ids);
    }

    /// <summary>Maps tokens to ids; unknown tokens, and text that spells a special, become <see cref="Unk"/>.</summary>
    public int[] Encode(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var ids = new int[tokens.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = IdOf(tokens[i]);
        return ids;
    }

    // The specials hold ids 0..3: a lookup that lands there came from text spelling a special.
    int IdOf(string token) => _ids.TryGetValue(token, out int id) && id >= Specials.Count ? id : Unk;

    /// <summary>Maps ids to tokens.</summary>
    public string[] Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Select(id => this[id]).ToArray();
    }

    /// <summary>
    /// Writes one token per line (UTF-8 without BOM, "\n" line ends). The file is written to a temporary file in
    /// the same folder, flushed to disk and then renamed over <paramref name="path"/>, so readers never see half a
    /// vocabulary.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IO.AtomicFile.WriteAllText(path, string.Concat(_tokens.Select(t => t + "\n")));
    }

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">
    /// Invalid UTF-8, an empty line, a duplicate token, or the specials not on the first four lines.
    /// </exception>
    public static Vocabulary Load(string path)
    {
        var file = Utf8LineFile.Read(path, "vocabulary file");
        var tokens = new string[file.LineCount];
        var ids = new Dictionary<string, int>(file.LineCount, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!file.TryDecode(i, out string token, out string problem))
                throw new DataFormatException(path, i + 1, "encoding", problem);
            if (token.Length == 0)
                throw new DataFormatException(path, i + 1, "token", "empty line; every line must hold one token");
            if (i < Specials.Count && token != Specials[i])
                throw new DataFormatException(path, i + 1, "specials",
                    $"expected the special token '{Specials[i]}', found '{token}'");
            if (!ids.TryAdd(token, i))
                throw new DataFormatException(path, i + 1, "token", $"duplicate token '{token}' (first on line {ids[token] + 1})");
            tokens[i] = token;
        }
        if (tokens.Length < Specials.Count)
            throw new DataFormatException(path, tokens.Length + 1, "specials",
                $"the file ends before the special token '{Specials[tokens.Length]}'");
        return new Vocabulary(tokens, ids);
    }

    static string? CheckSpecials(string[] tokens)
    {
        for (int i = 0; i < Specials.Count; i++)
        {
            if (i >= tokens.Length) return $"The vocabulary ends before the special token '{Specials[i]}' (id {i}).";
            if (tokens[i] != Specials[i]) return $"Id {i} must be '{Specials[i]}', found '{tokens[i]}'.";
        }
        return null;
    }
}
