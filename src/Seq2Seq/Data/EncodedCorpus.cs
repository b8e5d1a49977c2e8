namespace Seq2Seq.Data;

/// <summary>
/// Sentence pairs as token-id arrays, ready for batching. The source has no &lt;s&gt; or &lt;/s&gt;; the model adds
/// &lt;s&gt; to the decoder input and &lt;/s&gt; to the decoder output.
/// </summary>
public sealed class EncodedCorpus
{
    EncodedCorpus(int[][] sources, int[][] targets, int[] pairIndices, int droppedByLength)
    {
        Sources = sources;
        Targets = targets;
        PairIndices = pairIndices;
        DroppedByLength = droppedByLength;
    }

    /// <summary>Source token ids per kept pair.</summary>
    public IReadOnlyList<int[]> Sources { get; }

    /// <summary>Target token ids per kept pair (without &lt;s&gt; and &lt;/s&gt;).</summary>
    public IReadOnlyList<int[]> Targets { get; }

    /// <summary>For each kept pair, its index in the list given to <c>Create</c>.</summary>
    public IReadOnlyList<int> PairIndices { get; }

    /// <summary>Number of kept pairs.</summary>
    public int Count => Sources.Count;

    /// <summary>Pairs left out because a side had no tokens or more than the maximum length.</summary>
    public int DroppedByLength { get; }

    /// <summary>Tokenises every pair once, so the result can feed both vocabulary building and encoding.</summary>
    public static IReadOnlyList<(IReadOnlyList<string> Source, IReadOnlyList<string> Target)> TokenizeAll(
        IReadOnlyList<SentencePair> pairs, ITokenizer sourceTokenizer, ITokenizer targetTokenizer)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(sourceTokenizer);
        ArgumentNullException.ThrowIfNull(targetTokenizer);
        var pool = new HashSet<string>(StringComparer.Ordinal);
        var result = new (IReadOnlyList<string>, IReadOnlyList<string>)[pairs.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = (Share(sourceTokenizer.Tokenize(pairs[i].Source), pool),
                Share(targetTokenizer.Tokenize(pairs[i].Target), pool));
        return result;
    }

    // Copies the tokens into an exact-size array of shared string instances: a corpus has millions of tokens but
    // only tens of thousands of distinct ones, and keeping one instance of each spares memory and garbage
    // collection time (the tokeniser's own strings die young).
    static string[] Share(IReadOnlyList<string> tokens, HashSet<string> pool)
    {
        var shared = new string[tokens.Count];
        for (int i = 0; i < shared.Length; i++)
        {
            string token = tokens[i];
            if (pool.TryGetValue(token, out string? existing)) shared[i] = existing;
            else
            {
                pool.Add(token);
                shared[i] = token;
            }
        }
        return shared;
    }

    /// <summary>
    /// Tokenises and encodes <paramref name="pairs"/>, dropping those with an empty side or a side longer than
    /// <paramref name="maxLength"/> tokens (0 = no limit), as the reference does for training data. The reference
    /// does not length-filter dev data: pass 0 there.
    /// </summary>
    public static EncodedCorpus Create(IReadOnlyList<SentencePair> pairs, ITokenizer sourceTokenizer,
        ITokenizer targetTokenizer, Vocabulary sourceVocab, Vocabulary targetVocab, int maxLength) =>
        Create(TokenizeAll(pairs, sourceTokenizer, targetTokenizer), sourceVocab, targetVocab, maxLength);

    /// <summary>
    /// Encodes already tokenised pairs (see <see cref="TokenizeAll"/>), with the length rule of
    /// <see cref="Create(IReadOnlyList{SentencePair}, ITokenizer, ITokenizer, Vocabulary, Vocabulary, int)"/>.
    /// </summary>
    public static EncodedCorpus Create(IReadOnlyList<(IReadOnlyList<string> Source, IReadOnlyList<string> Target)> tokenized,
        Vocabulary sourceVocab, Vocabulary targetVocab, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenized);
        ArgumentNullException.ThrowIfNull(sourceVocab);
        ArgumentNullException.ThrowIfNull(targetVocab);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        int limit = maxLength == 0 ? int.MaxValue : maxLength;
        var sources = new List<int[]>(tokenized.Count);
        var targets = new List<int[]>(tokenized.Count);
        var indices = new List<int>(tokenized.Count);
        for (int i = 0; i < tokenized.Count; i++)
        {
            var (source, target) = tokenized[i];
            if (source.Count == 0 || source.Count > limit || target.Count == 0 || target.Count > limit) continue;
            sources.Add(sourceVocab.Encode(source));
            targets.Add(targetVocab.Encode(target));
            indices.Add(i);
        }
        return new EncodedCorpus([.. sources], [.. targets], [.. indices], tokenized.Count - sources.Count);
    }
}
