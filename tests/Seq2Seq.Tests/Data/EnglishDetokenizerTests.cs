using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class EnglishDetokenizerTests
{
    [Theory]
    [InlineData("I like apples .", "I like apples.")]
    [InlineData("Yes , no ; maybe : so ! Really ?", "Yes, no; maybe: so! Really?")]
    [InlineData("don ' t", "don't")]
    [InlineData("John ' s book", "John's book")]
    [InlineData("God ’ s Spirit ,", "God’s Spirit,")]
    [InlineData("he said \" hello there \" and \" bye \" .", "he said \"hello there\" and \"bye\".")]
    [InlineData("“ Let there be light , ” and", "“Let there be light,” and")]
    [InlineData("a ( b ) [ c ] { d } e", "a (b) [c] {d} e")]
    [InlineData("50 % of $ 100", "50% of $100")]
    [InlineData("well - known", "well - known")]
    [InlineData("wait . . .", "wait...")]
    [InlineData("the ' quoted ' word", "the 'quoted' word")]
    [InlineData("3 . 5", "3. 5")]
    [InlineData("", "")]
    public void RulesGiveNormalText(string tokens, string expected)
    {
        Assert.Equal(expected, EnglishDetokenizer.Detokenize(Tokens(tokens)));
    }

    [Theory]
    [InlineData("I like apples .")]
    [InlineData("don ' t do it , John ' s dog said .")]
    [InlineData("he said \" hello there \" and \" bye \" .")]
    [InlineData("“ Let there be light , ” and ( so ) it was : 50 % of $ 100 !")]
    [InlineData("well - known 3 . 5 wait . . . the ' quoted ' word")]
    public void WordTokenizerSplitsTheDetokenisedTextIntoTheSameTokens(string tokens)
    {
        // Training scores the detokenised hypothesis with sacreBLEU and also re-tokenises it with the word rule for the
        // 'tokenized BLEU': that must give back exactly the tokens the model produced.
        var tokenizer = new WordTokenizer(lowercase: false);
        Assert.Equal(Tokens(tokens), tokenizer.Tokenize(tokenizer.Detokenize(Tokens(tokens))));
    }

    static string[] Tokens(string s) => s.Length == 0 ? [] : s.Split(' ');
}
