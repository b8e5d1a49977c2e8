using System.Text;
using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class VocabularyTests
{
    static IReadOnlyList<string>[] Lists(params string[] lines) =>
        lines.Select(l => (IReadOnlyList<string>)l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();

    [Fact]
    public void SpecialsComeFirstThenDescendingCountThenCodePointOrder()
    {
        var vocab = Vocabulary.Build(Lists("b a c b", "a b d", "<s> <unk> c"), minFrequency: 1, maxSize: 0);
        Assert.Equal(["<unk>", "<pad>", "<s>", "</s>", "b", "a", "c", "d"], vocab.Tokens);
        Assert.Equal(8, vocab.Count);
        Assert.Equal(4, vocab["b"]);
        Assert.Equal(Vocabulary.Unk, vocab["zzz"]);
        Assert.Equal("</s>", vocab[Vocabulary.Eos]);
    }

    [Fact]
    public void TiesUseCodePointOrderNotUtf16Order()
    {
        // U+1F600 (a surrogate pair in UTF-16) is above U+FF01 as a code point, below it as UTF-16 units.
        const string astral = "\U0001F600", fullwidth = "\uFF01";
        Assert.True(string.CompareOrdinal(astral, fullwidth) < 0);
        var vocab = Vocabulary.Build(Lists($"{astral} {fullwidth} Z a"), 1, 0);
        Assert.Equal(["Z", "a", fullwidth, astral], vocab.Tokens.Skip(4));
        Assert.True(CodePointComparer.Instance.Compare("ab", "abc") < 0);
        Assert.True(CodePointComparer.Instance.Compare("\uE000", "\uD7FF") > 0);
    }

    [Fact]
    public void MinFrequencyAndMaxSizeCut()
    {
        var lists = Lists("a a a b b c", "d d d d");
        Assert.Equal(["d", "a", "b"], Vocabulary.Build(lists, minFrequency: 2, maxSize: 0).Tokens.Skip(4));
        Assert.Equal(["d", "a"], Vocabulary.Build(lists, minFrequency: 1, maxSize: 2).Tokens.Skip(4));
        Assert.Equal(6, Vocabulary.Build(lists, 1, 2).Count);
    }

    [Fact]
    public void EncodeAndDecode()
    {
        var vocab = Vocabulary.Build(Lists("x y y"), 1, 0);
        Assert.Equal([5, 4, Vocabulary.Unk], vocab.Encode(["x", "y", "q"]));
        Assert.Equal(["x", "<unk>", "</s>"], vocab.Decode([5, 0, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => vocab.Decode([6]));
    }

    [Fact]
    public void SaveAndLoadRoundTrip()
    {
        var vocab = Vocabulary.Build(Lists("é \U0001F600 ▁ b b"), 1, 0);
        using var file = TempFile.Empty(".vocab");
        vocab.Save(file.Path);
        byte[] bytes = File.ReadAllBytes(file.Path);
        Assert.False(bytes.AsSpan().StartsWith("\uFEFF"u8));
        Assert.Equal(string.Join("\n", vocab.Tokens) + "\n", Encoding.UTF8.GetString(bytes));
        var loaded = Vocabulary.Load(file.Path);
        Assert.Equal(vocab.Tokens, loaded.Tokens);
        Assert.Equal(vocab["▁"], loaded["▁"]);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file.Path)!, $".{Path.GetFileName(file.Path)}.*"));
    }

    [Fact]
    public void SaveOverwritesAnExistingFile()
    {
        using var file = TempFile.WithText("old content\n", ".vocab");
        Vocabulary.Build(Lists("a"), 1, 0).Save(file.Path);
        Assert.Equal(["<unk>", "<pad>", "<s>", "</s>", "a"], Vocabulary.Load(file.Path).Tokens);
    }

    [Theory]
    [InlineData("<unk>\n<pad>\n</s>\n<s>\na\n", 3, "specials")]
    [InlineData("<unk>\n<pad>\n", 3, "specials")]
    [InlineData("<unk>\n<pad>\n<s>\n</s>\na\n\nb\n", 6, "token")]
    [InlineData("<unk>\n<pad>\n<s>\n</s>\na\nb\na\n", 7, "token")]
    public void LoadRejectsBadFiles(string content, int line, string field)
    {
        using var file = TempFile.WithText(content, ".vocab");
        var e = Assert.Throws<DataFormatException>(() => Vocabulary.Load(file.Path));
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.StartsWith($"{file.Path}:{line}: {field}: ", e.Message);
    }

    [Fact]
    public void FromTokensChecksSpecials()
    {
        Assert.Throws<ArgumentException>(() => Vocabulary.FromTokens(["<pad>", "<unk>", "<s>", "</s>"]));
        Assert.Equal(5, Vocabulary.FromTokens([.. Vocabulary.Specials, "x"]).Count);
    }
}
