using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class JiebaTokenizerTests
{
    [Fact]
    public void SegmentsChineseWords()
    {
        Assert.Equal(["我", "爱", "吃", "苹果"], new JiebaTokenizer(lowercase: false).Tokenize("我爱吃苹果"));
    }

    [Fact]
    public void LatinWordsAndNumbersStayWholeAndWhitespaceOnlySeparates()
    {
        var tokens = new JiebaTokenizer(lowercase: true).Tokenize("Audacity不能打开 WAV 文件，hello  world!");
        Assert.Equal(["audacity", "不能", "打开", "wav", "文件", "，", "hello", "world", "!"], tokens);
    }

    [Fact]
    public void CharactersOutsideTheBasicPlaneAreNotCutInHalf()
    {
        var tokens = new JiebaTokenizer(lowercase: false).Tokenize("我爱𠀀𪚥吃苹果");
        Assert.Equal("我爱𠀀𪚥吃苹果", string.Concat(tokens));
        Assert.All(tokens, t => Assert.False(char.IsHighSurrogate(t[^1]) || char.IsLowSurrogate(t[0]), t));
    }

    [Fact]
    public void DetokeniseConcatenatesButKeepsSpacesBetweenLatinWords()
    {
        var tokenizer = new JiebaTokenizer(lowercase: false);
        Assert.Equal("我爱吃苹果", tokenizer.Detokenize(["我", "爱", "吃", "苹果"]));
        Assert.Equal("打开WAV文件，hello world 3个", tokenizer.Detokenize(["打开", "WAV", "文件", "，", "hello", "world", "3", "个"]));
    }

    [Fact]
    public void UserDictionaryWordChangesTheSegmentation()
    {
        // 杭研 is not in jieba's dictionary: without the HMM it splits into two characters. (jieba's dictionary is one
        // per process, so this test uses a word no other test segments.)
        Assert.Equal(["他", "来到", "了", "网易", "杭", "研", "大厦"], new JiebaTokenizer(false).Tokenize("他来到了网易杭研大厦"));
        using var dict = TempFile.WithText("杭研 10 nz\n", ".dict");
        var tokenizer = new JiebaTokenizer(false, dict.Path);
        Assert.Equal(["他", "来到", "了", "网易", "杭研", "大厦"], tokenizer.Tokenize("他来到了网易杭研大厦"));
    }

    [Fact]
    public void MissingUserDictionaryIsNamed()
    {
        var e = Assert.Throws<FileNotFoundException>(() => new JiebaTokenizer(false, "/nonexistent/user.dict"));
        Assert.Contains("/nonexistent/user.dict", e.Message);
    }
}
