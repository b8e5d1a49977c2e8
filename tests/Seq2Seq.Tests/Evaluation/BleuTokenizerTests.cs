using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// Expected outputs are worked by hand from sacreBLEU 2.6's published tokenizer rules (see
// /work/shared/notes/sacrebleu.md): each case names the rule that produces it.
public class BleuTokenizerTests
{
    static string Tok(string name, string line) => BleuTokenizer.FromName(name).Tokenize(line);

    [Theory]
    // '.' and ',' stay when a digit is on that side: "3.14" and "1,000" whole; the final "." follows "s" (a
    // non-digit) and is split by the "preceded by a non-digit" rule.
    [InlineData("It costs 3.14 or 1,000 dollars.", "It costs 3.14 or 1,000 dollars .")]
    // "U.S.": 'U' then '.' -> split; 'S' then '.' -> split.
    [InlineData("U.S.", "U . S .")]
    // '-' is split only after a digit: "10-15" -> "10 - 15"; "well-known" and "-5" stay.
    [InlineData("10-15", "10 - 15")]
    [InlineData("a well-known -5", "a well-known -5")]
    // &quot; and &amp; are unescaped first; then '"' and '&' are ASCII symbols and get split off.
    [InlineData("&quot;Hi&quot; &amp; bye", "\" Hi \" & bye")]
    // &apos; is not unescaped; its '&' and ';' are split off as symbols.
    [InlineData("it&apos;s", "it & apos ; s")]
    // The literal <skipped> is removed before anything else.
    [InlineData("a <skipped> b", "a b")]
    // The line is padded with spaces, so a line-final "2018." has a following non-digit (the pad) -> "2018 .".
    [InlineData("in 2018.", "in 2018 .")]
    [InlineData("Python 3.8.", "Python 3.8 .")]
    // The apostrophe is never split; curly quotes, em dash and ellipsis are not ASCII and stay attached.
    [InlineData("don't “stop”—now…", "don't “stop”—now…")]
    // Other ASCII punctuation and symbols are split: ( ) / $ ! ?
    [InlineData("(a/b) $5 ok?!", "( a / b ) $ 5 ok ? !")]
    // Only ASCII digits protect '.': U+0663 (ARABIC-INDIC DIGIT THREE) is not [0-9] (it is \d in .NET), so the
    // "preceded by a non-digit" rule splits "٣.٣".
    [InlineData("٣.٣", "٣ . ٣")]
    public void Tokenizer13a_follows_mteval_rules(string input, string expected) =>
        Assert.Equal(expected, Tok("13a", input));

    [Theory]
    // Each CJK character gets spaces around it; U+3002 (。) is in sacreBLEU's CJK punctuation range.
    [InlineData("我爱北京。", "我 爱 北 京 。")]
    // Digits keep their '.': "3.14" whole, the CJK characters around it split.
    [InlineData("我有3.14元", "我 有 3.14 元")]
    // No padding step in zh: a line-final "3.8." has no following character, so it stays one token.
    [InlineData("Python 3.8.", "Python 3.8.")]
    // sacreBLEU's range written '\u20000' is U+2000 followed by '0', so U+2001..U+2A6D count as Chinese: curly
    // quotes (U+201C/U+201D), the em dash (U+2014) and the ellipsis (U+2026) are split.
    [InlineData("“Hi”—ok…", "“ Hi ” — ok …")]
    // Characters above U+FFFF are never Chinese for sacreBLEU: U+20BB7 (𠮷) stays attached, 中 does not.
    [InlineData("a𠮷b a中b", "a𠮷b a 中 b")]
    // No unescaping or <skipped> removal in zh; '&' ';' '<' '>' are split as ASCII symbols.
    [InlineData("&amp;<skipped>", "& amp ; < skipped >")]
    public void TokenizerZh_splits_chinese_characters(string input, string expected) =>
        Assert.Equal(expected, Tok("zh", input));

    [Theory]
    // \p{P} after a non-number is split ("o," "d!"), '.' between digits stays, '€' (\p{S}) is split everywhere.
    [InlineData("Hello, world! 3.14 €5", "Hello , world ! 3.14 € 5")]
    // Unicode quotes are \p{P} (Pi/Pf): split, unlike 13a.
    [InlineData("“Hi”", "“ Hi ”")]
    // An emoji is \p{S} (So) as one code point, even though it is two UTF-16 units.
    [InlineData("ok😀", "ok 😀")]
    public void TokenizerIntl_splits_unicode_punctuation_and_symbols(string input, string expected) =>
        Assert.Equal(expected, Tok("intl", input));

    [Fact]
    public void TokenizerChar_makes_every_code_point_a_token()
    {
        // " ".join(list("ab c😀")) = "a b   c 😀"; BLEU's split() then gives a, b, c, 😀.
        Assert.Equal("a b   c 😀", Tok("char", "ab c😀"));
        Assert.Equal(["a", "b", "c", "😀"], new Bleu(new BleuOptions("char")).Tokens("ab c😀"));
    }

    [Fact]
    public void TokenizerNone_keeps_the_line() => Assert.Equal("U.S. 10-15", Tok("none", "U.S. 10-15"));

    [Fact]
    public void Unknown_tokenizer_is_an_input_error()
    {
        var e = Assert.Throws<EvaluationInputException>(() => BleuTokenizer.FromName("moses"));
        Assert.Contains("moses", e.Message);
    }
}
