using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class ParallelCorpusReaderTests
{
    [Fact]
    public void ReadsChosenColumnsWithLineNumbers()
    {
        using var file = TempFile.WithText("Gen.1.1\tEn el principio\tIn the beginning\textra\n\nGen.1.2\tY la tierra\tThe earth\n");
        var result = ParallelCorpusReader.ReadTsv(file.Path, 1, 2, BadLinePolicy.Error);
        Assert.Equal(
            [new SentencePair("En el principio", "In the beginning", 1), new SentencePair("Y la tierra", "The earth", 3)],
            result.Pairs);
        Assert.Equal(1, result.Skipped);
        Assert.Equal(1, result.BlankLines);
        Assert.Empty(result.SkipMessages);
    }

    [Fact]
    public void BomAndLineEndingsAreHandled()
    {
        // BOM at the start, CRLF, a whitespace-only line, a lone CR (a line end for Python too), no final newline.
        using var file = TempFile.WithText("\uFEFFa\tb\r\n \t \r\nc\td\re\tf");
        var result = ParallelCorpusReader.ReadTsv(file.Path, 0, 1, BadLinePolicy.Error);
        Assert.Equal([new SentencePair("a", "b", 1), new SentencePair("c", "d", 3), new SentencePair("e", "f", 4)],
            result.Pairs);
        Assert.Equal(1, result.BlankLines);
    }

    [Fact]
    public void WrongColumnCountNamesFileAndLine()
    {
        using var file = TempFile.WithText("r\ta\tb\nr\tonly two\n");
        var e = Assert.Throws<DataFormatException>(() => ParallelCorpusReader.ReadTsv(file.Path, 1, 2, BadLinePolicy.Error));
        Assert.Equal($"{file.Path}:2: columns: expected at least 3 tab-separated columns, found 2", e.Message);
        Assert.Equal((file.Path, 2, "columns"), (e.File, e.Line, e.Field));
    }

    [Fact]
    public void InvalidUtf8IsAnEncodingError()
    {
        using var file = TempFile.WithBytes([.. "a\tb\n"u8, .. "c\t"u8, 0xC3, 0x28, .. "\n"u8]);
        var e = Assert.Throws<DataFormatException>(() => ParallelCorpusReader.ReadTsv(file.Path, 0, 1, BadLinePolicy.Error));
        Assert.Equal((2, "encoding"), (e.Line, e.Field));
        Assert.StartsWith($"{file.Path}:2: encoding: invalid UTF-8", e.Message);
    }

    [Fact]
    public void NulByteIsAnEncodingError()
    {
        using var file = TempFile.WithText("a\tb\0\n");
        var e = Assert.Throws<DataFormatException>(() => ParallelCorpusReader.ReadTsv(file.Path, 0, 1, BadLinePolicy.Error));
        Assert.Equal((1, "encoding"), (e.Line, e.Field));
        Assert.Contains("NUL", e.Message);
    }

    [Theory]
    [InlineData("x\t \ty\n", "source")]
    [InlineData("x\ty\t\n", "target")]
    public void EmptySideIsAnError(string content, string field)
    {
        using var file = TempFile.WithText(content);
        var e = Assert.Throws<DataFormatException>(() => ParallelCorpusReader.ReadTsv(file.Path, 1, 2, BadLinePolicy.Error));
        Assert.Equal((1, field), (e.Line, e.Field));
    }

    [Fact]
    public void SkipPolicyCountsBadLines()
    {
        var lines = new List<string> { "good\tone" };
        for (int i = 0; i < 12; i++) lines.Add("no tab here");
        lines.Add("\tempty source");
        lines.Add("   ");
        lines.Add("good\ttwo");
        using var file = TempFile.WithText(string.Join("\n", lines));
        var result = ParallelCorpusReader.ReadTsv(file.Path, 0, 1, BadLinePolicy.Skip);
        Assert.Equal(["one", "two"], result.Pairs.Select(p => p.Target));
        Assert.Equal(16, result.Pairs[1].Line);
        Assert.Equal(14, result.Skipped);
        Assert.Equal(13, result.BadLines);
        Assert.Equal(ParallelCorpusReader.MaxSkipMessages, result.SkipMessages.Count);
        Assert.Equal($"{file.Path}:2: columns: expected at least 2 tab-separated columns, found 1", result.SkipMessages[0]);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"seq2seq-missing-{Guid.NewGuid():N}.tsv");
        var e = Assert.Throws<FileNotFoundException>(() => ParallelCorpusReader.ReadTsv(path, 0, 1, BadLinePolicy.Error));
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void AlignedFilesArePaired()
    {
        using var source = TempFile.WithText("hola\n\nadiós\n", ".es");
        using var target = TempFile.WithText("hello\r\n\r\nbye\r\n", ".en");
        var result = ParallelCorpusReader.ReadAligned(source.Path, target.Path, BadLinePolicy.Error);
        Assert.Equal([new SentencePair("hola", "hello", 1), new SentencePair("adiós", "bye", 3)], result.Pairs);
        Assert.Equal(1, result.Skipped);
    }

    [Fact]
    public void AlignedLineCountMismatchNamesBothFiles()
    {
        using var source = TempFile.WithText("a\nb\nc\n", ".es");
        using var target = TempFile.WithText("x\ny\n", ".en");
        var e = Assert.Throws<DataFormatException>(
            () => ParallelCorpusReader.ReadAligned(source.Path, target.Path, BadLinePolicy.Skip));
        Assert.Contains($"{source.Path} has 3 lines", e.Message);
        Assert.Contains($"{target.Path} has 2", e.Message);
        Assert.Equal("lines", e.Field);
    }

    [Fact]
    public void AlignedEmptySideNamesItsFile()
    {
        using var source = TempFile.WithText("a\nb\n", ".es");
        using var target = TempFile.WithText("x\n \n", ".en");
        var e = Assert.Throws<DataFormatException>(
            () => ParallelCorpusReader.ReadAligned(source.Path, target.Path, BadLinePolicy.Error));
        Assert.Equal((target.Path, 2, "target"), (e.File, e.Line, e.Field));
        var skipped = ParallelCorpusReader.ReadAligned(source.Path, target.Path, BadLinePolicy.Skip);
        Assert.Single(skipped.Pairs);
        Assert.Equal(1, skipped.BadLines);
    }

    [Fact]
    public void ReadsAndTokenisesABibleSizedCorpusQuickly()
    {
        // About the size of the Bible training set (7.6 MB, 28.8k pairs); the bound only catches gross slowness.
        var rng = new Random(1);
        string[] words = ["Dios", "tierra", "luz", "God’s", "earth,", "light.", "“Let", "be”", "él", "x"];
        var text = new System.Text.StringBuilder();
        for (int line = 1; line <= 30_000; line++)
        {
            text.Append("Gen.1.").Append(line).Append('\t');
            for (int w = 0; w < 20; w++) text.Append(words[rng.Next(words.Length)]).Append(' ');
            text.Append('\t');
            for (int w = 0; w < 24; w++) text.Append(words[rng.Next(words.Length)]).Append(' ');
            text.Append('\n');
        }
        using var file = TempFile.WithText(text.ToString());

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = ParallelCorpusReader.ReadTsv(file.Path, 1, 2, BadLinePolicy.Error);
        var tokenizer = new WordTokenizer(lowercase: true);
        var tokenized = EncodedCorpus.TokenizeAll(result.Pairs, tokenizer, tokenizer);
        watch.Stop();
        Assert.Equal(30_000, tokenized.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"read + tokenise took {watch.Elapsed}");
    }
}
