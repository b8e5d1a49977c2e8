using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Data;

public class ProtectedTokenizerTests
{
    // The pattern configs/po-zh-en-*.yaml ship with, read from the config so the test follows it.
    static readonly string PoPattern = ConfigLoader.Load(RepoPaths.Of("configs", "po-zh-en-rnn.yaml"), []).Data.ProtectedPattern;

    static ITokenizer Word(bool lowercase = false) => ProtectedTokenizer.Wrap(new WordTokenizer(lowercase), PoPattern);

    [Theory]
    [InlineData("%s is not authorized to change the shell of %s", new[] { "%s", "is", "not", "authorized", "to", "change", "the", "shell", "of", "%s" })]
    [InlineData("Copy %1$s to {0} (%.250s)", new[] { "Copy", "%1$s", "to", "{0}", "(", "%.250s", ")" })]
    [InlineData("%1 of %2: %lu done", new[] { "%1", "of", "%2", ":", "%lu", "done" })]
    [InlineData("Progress: %d %% done", new[] { "Progress", ":", "%d", "%%", "done" })]
    [InlineData("Restart %PRODUCTNAME with $(ARG1) and %(count)d files", new[] { "Restart", "%PRODUCTNAME", "with", "$(ARG1)", "and", "%(count)d", "files" })]
    [InlineData("100% sure", new[] { "100", "%", "sure" })]
    public void PlaceholdersStayWholeAndDetokeniseUnchanged(string text, string[] expected)
    {
        var tokens = Word().Tokenize(text);
        Assert.Equal(expected, tokens);
        Assert.Equal(text, Word().Detokenize(tokens));
    }

    [Fact]
    public void WithoutThePatternAPlaceholderBreaks()
    {
        var word = new WordTokenizer(false);
        Assert.Equal("% s is missing", word.Detokenize(word.Tokenize("%s is missing")));
        Assert.Equal("%s is missing", Word().Detokenize(Word().Tokenize("%s is missing")));
    }

    [Fact]
    public void PlaceholdersAreNotLowercased()
    {
        Assert.Equal(["%PRODUCTNAME", "help", "%X"], Word(lowercase: true).Tokenize("%PRODUCTNAME Help %X"));
    }

    [Fact]
    public void JiebaKeepsThePlaceholderWhole()
    {
        var jieba = ProtectedTokenizer.Wrap(new JiebaTokenizer(lowercase: false), PoPattern);
        var tokens = jieba.Tokenize("没有%s文件");
        Assert.Contains("%s", tokens);
        Assert.Equal("没有%s文件", jieba.Detokenize(tokens));
    }

    [Fact]
    public void BpeOverAProtectedBaseGivesThePlaceholderBack()
    {
        var baseTokenizer = Word();
        var corpus = new[] { "%s is missing", "%d files of %s", "missing files" };
        var merges = BpeLearner.Learn(BpeLearner.CountWords(corpus.Select(baseTokenizer.Tokenize)), 3);
        var bpe = new BpeTokenizer(baseTokenizer, merges);
        foreach (string text in new[] { "%s is missing", "%lu of %1$s" })
            Assert.Equal(text, bpe.Detokenize(bpe.Tokenize(text)));
    }

    [Fact]
    public void AnInvalidPatternNamesTheKey()
    {
        var e = Assert.Throws<ConfigException>(() => RunTokenizerFiles.Validate(new DataConfig { ProtectedPattern = "%(s" }));
        Assert.StartsWith("data.protected_pattern:", e.Message);
    }

    [Fact]
    public void APatternThatMatchesNothingChangesNothing()
    {
        var plain = new WordTokenizer(false);
        var wrapped = ProtectedTokenizer.Wrap(plain, "x*");   // matches the empty string everywhere but 'x'
        Assert.Equal(plain.Tokenize("a, b"), wrapped.Tokenize("a, b"));
        Assert.Same(plain, ProtectedTokenizer.Wrap(plain, ""));
    }
}
