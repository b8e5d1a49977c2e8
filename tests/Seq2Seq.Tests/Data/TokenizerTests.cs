using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class TokenizerTests
{
    [Theory]
    [InlineData("God’s Spirit,", false, "God|’|s|Spirit|,")]
    [InlineData("God’s Spirit,", true, "god|’|s|spirit|,")]
    [InlineData("“Let there be light,” and", false, "“|Let|there|be|light|,|”|and")]
    [InlineData("x=3+4$ 100% a_b a-b", false, "x|=|3|+|4|$|100|%|a|_|b|a|-|b")]
    [InlineData("tab\there\u00A0nbsp\u2003em\u001Cfs", false, "tab|here|nbsp|em|fs")]
    [InlineData("   ", false, "")]
    public void WordTokenizerSplitsPunctuationAndSymbols(string text, bool lowercase, string expected)
    {
        var tokens = new WordTokenizer(lowercase).Tokenize(text);
        Assert.Equal(Split(expected), tokens);
    }

    [Fact]
    public void WordTokenizerTreatsAstralSymbolsAsOneCodePoint()
    {
        // ❤ is So, U+FE0F (variation selector) is Mn and stays a word; 👍 is So, 🏽 is Sk: each a token.
        var tokens = new WordTokenizer(lowercase: false).Tokenize("I \u2764\uFE0F NY \U0001F44D\U0001F3FD!");
        Assert.Equal(["I", "\u2764", "\uFE0F", "NY", "\U0001F44D", "\U0001F3FD", "!"], tokens);
    }

    [Fact]
    public void LowercaseFollowsPython()
    {
        var tokens = new WordTokenizer(lowercase: true).Tokenize("İstanbul ΣΟΦΟΣ");
        Assert.Equal(["i\u0307stanbul", "σοφος"], tokens);
    }

    [Fact]
    public void WordDetokenizeWritesEnglishText()
    {
        Assert.Equal("God’s Spirit,", new WordTokenizer(false).Detokenize(["God", "’", "s", "Spirit", ","]));
    }

    [Fact]
    public void CharTokenizerCollapsesWhitespaceAndMarksSpaces()
    {
        var tokens = new CharTokenizer(lowercase: false).Tokenize("  Hi,\t there\n\U0001D11Ex  ");
        Assert.Equal(["H", "i", ",", "▁", "t", "h", "e", "r", "e", "▁", "\U0001D11E", "x"], tokens);
    }

    [Fact]
    public void CharTokenizerLowercasesToCodePoints()
    {
        Assert.Equal(["i", "\u0307", "▁", "a"], new CharTokenizer(lowercase: true).Tokenize("İ A"));
    }

    [Fact]
    public void CharDetokenizeRoundTrips()
    {
        var tokenizer = new CharTokenizer(lowercase: false);
        const string text = "¿Qué\U0001F600 pasa? sí";
        Assert.Equal(text, tokenizer.Detokenize(tokenizer.Tokenize(text)));
        Assert.Equal("a b", tokenizer.Detokenize(tokenizer.Tokenize(" a \t\n b ")));
    }

    [Fact]
    public void SpaceTokenizerOnlySplitsOnWhitespace()
    {
        var tokenizer = new SpaceTokenizer(lowercase: true);
        Assert.Equal(["god’s", "spirit,"], tokenizer.Tokenize(" God’s\u3000Spirit, "));
        Assert.Equal("a b", tokenizer.Detokenize(["a", "b"]));
    }

    [Fact]
    public void FactoryCreatesEachKind()
    {
        foreach (string kind in Tokenizers.PlainKinds)
        {
            var tokenizer = Tokenizers.Create(kind, lowercase: true);
            Assert.Equal(kind, tokenizer.Kind);
            Assert.True(tokenizer.Lowercase);
        }
        Assert.Equal(["word", "char", "space", "jieba", "bpe", "sentencepiece"], Tokenizers.Kinds);
        Assert.Contains("run directory", Assert.Throws<ArgumentException>(() => Tokenizers.Create("bpe", false)).Message);
    }

    [Fact]
    public void FactoryRejectsUnknownKindListingValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tokenizers.Create("wordpiece", false));
        Assert.Contains("wordpiece", e.Message);
        Assert.Contains("word, char, space, jieba, bpe, sentencepiece", e.Message);
    }

    static string[] Split(string expected) => expected.Length == 0 ? [] : expected.Split('|');
}
