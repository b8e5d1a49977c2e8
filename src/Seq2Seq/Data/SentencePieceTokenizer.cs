using System.Text;
using Seq2Seq.Configuration;
using Seq2Seq.Text;
using Spm = Microsoft.ML.Tokenizers.SentencePieceTokenizer;

namespace Seq2Seq.Data;

/// <summary>
/// Pieces of an existing SentencePiece model (a <c>.model</c> file from <c>spm_train</c>), read with
/// Microsoft.ML.Tokenizers. A piece that starts a word begins with "▁" (U+2581); detokenising concatenates the pieces
/// and turns "▁" back into spaces.
/// </summary>
public sealed class SentencePieceTokenizer : ITokenizer
{
    /// <summary>The kind name, "sentencepiece".</summary>
    public const string KindName = TokenizerKinds.SentencePiece;

    const char WordStart = '\u2581';
    readonly Spm _model;

    /// <summary>Loads the model file at <paramref name="modelPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a SentencePiece model this reader supports.</exception>
    public SentencePieceTokenizer(string modelPath, bool lowercase)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath}: SentencePiece model not found", modelPath);
        ModelPath = modelPath;
        Lowercase = lowercase;
        try
        {
            using var stream = File.OpenRead(modelPath);
            _model = Spm.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new DataFormatException(modelPath, 1, "model", $"not a usable SentencePiece model: {e.Message}");
        }
    }

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public bool Lowercase { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = string.Join(' ', PythonText.Split(Lowercase ? PythonText.Lower(text) : text));
        if (s.Length == 0) return [];
        return _model.EncodeToTokens(s, out _, addBeginningOfSentence: false, addEndOfSentence: false)
            .Select(t => t.Value).Where(v => v.Length > 0).ToList();
    }

    /// <summary>Concatenates the pieces and turns "▁" into spaces (none at the ends).</summary>
    public string Detokenize(IReadOnlyList<string> tokens) => JoinPieces(tokens);

    /// <summary>Concatenates pieces and turns "▁" into spaces (none at the ends).</summary>
    public static string JoinPieces(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var sb = new StringBuilder();
        foreach (string t in tokens) sb.Append(t);
        return sb.Replace(WordStart, ' ').ToString().Trim(' ');
    }
}
