using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class SentencePieceTokenizerTests
{
    static readonly string[] Corpus =
    [
        "the lowest and the newest are the widest", "I like apples and lower widths.", "she sells sea shells by the sea shore",
        "the quick brown fox jumps over the lazy dog", "a stitch in time saves nine", "all that glitters is not gold",
    ];

    [SpmTrainFact]
    public void PiecesOfATrainedModelDetokeniseBackToTheText()
    {
        using var dir = new TempDir();
        string model = SpmTrain.Train(Enumerable.Repeat(Corpus, 20).SelectMany(c => c), Path.Combine(dir.Path, "m"), 60);
        var tokenizer = new SentencePieceTokenizer(model, lowercase: false);
        var pieces = tokenizer.Tokenize("the newest  apples");
        Assert.True(pieces.Count > 1);
        Assert.StartsWith("\u2581", pieces[0]);
        Assert.Equal("the newest apples", tokenizer.Detokenize(pieces));
    }

    [Fact]
    public void MissingModelFileIsNamed()
    {
        var e = Assert.Throws<FileNotFoundException>(() => new SentencePieceTokenizer("/nonexistent/x.model", false));
        Assert.Contains("/nonexistent/x.model", e.Message);
    }

    [Fact]
    public void AFileThatIsNoModelGivesADataFormatError()
    {
        using var file = TempFile.WithText("not a model\n", ".model");
        var e = Assert.Throws<DataFormatException>(() => new SentencePieceTokenizer(file.Path, false));
        Assert.Equal("model", e.Field);
    }

    [Fact]
    public void DetokeniseTurnsWordStartsIntoSpaces()
    {
        Assert.Equal("the newest apples", SentencePieceTokenizer.JoinPieces(["\u2581the", "\u2581new", "est", "\u2581app", "les"]));
    }
}
