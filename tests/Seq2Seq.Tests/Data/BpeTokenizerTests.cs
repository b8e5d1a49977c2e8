using System.Diagnostics;
using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class BpeTokenizerTests
{
    // Sennrich et al. (2016)'s example vocabulary: low ×5, lower ×2, newest ×6, widest ×3.
    static readonly Dictionary<string, long> Example = new() { ["low"] = 5, ["lower"] = 2, ["newest"] = 6, ["widest"] = 3 };

    [Fact]
    public void LearnedMergesEqualHandDerivedOnes()
    {
        // Pair counts: e s 9, s t</w> 9, w e 8, l o 7, ... Ties go to the ordinally smallest pair.
        // 1. e s (9, ties s t</w>)  2. es t</w> (9)  3. l o (7)  4. e w (6, ties n e and w est</w>)
        // 5. ew est</w> (6, ties n ew)  6. n ewest</w> (6)  7. lo w</w> (5)  8. d est</w> (3, ties i d, w i)
        var merges = BpeLearner.Learn(Example, 8);
        Assert.Equal(
            [("e", "s"), ("es", "t</w>"), ("l", "o"), ("e", "w"), ("ew", "est</w>"), ("n", "ewest</w>"), ("lo", "w</w>"), ("d", "est</w>")],
            merges.Merges);
    }

    [Fact]
    public void LearningStopsWhenNoPairOccursTwice()
    {
        var merges = BpeLearner.Learn(new Dictionary<string, long> { ["ab"] = 1, ["cd"] = 1 }, 10);
        Assert.Empty(merges.Merges);
    }

    [Fact]
    public void UnknownWordSplitsIntoKnownSubwords()
    {
        var merges = BpeLearner.Learn(Example, 8);
        Assert.Equal(["lo@@", "w@@", "est"], merges.Segment("lowest"));
        Assert.Equal(["newest"], merges.Segment("newest"));
        Assert.Equal(["low"], merges.Segment("low"));
    }

    [Theory]
    [InlineData("the lowest and newest, wider widths!")]
    [InlineData("I like apples.")]
    [InlineData("don't stop: \"never\" (ever)")]
    public void ApplyingLearnedMergesRoundTripsText(string text)
    {
        var word = new WordTokenizer(lowercase: false);
        var corpus = new[] { "the lowest and newest are the widest", "I like apples and lower widths.", text };
        var merges = BpeLearner.Learn(BpeLearner.CountWords(corpus.Select(word.Tokenize)), 50);
        var bpe = new BpeTokenizer(word, merges);
        var units = bpe.Tokenize(text);
        Assert.Equal(text, bpe.Detokenize(units));
        Assert.Equal(word.Tokenize(text), BpeMerges.JoinUnits(units));
    }

    [Fact]
    public void ChineseBaseKeepsChineseDetokenisation()
    {
        var jieba = new JiebaTokenizer(lowercase: false);
        var merges = BpeLearner.Learn(BpeLearner.CountWords(new[] { "我爱吃苹果", "苹果很好吃", "我爱苹果" }.Select(jieba.Tokenize)), 20);
        var bpe = new BpeTokenizer(jieba, merges);
        Assert.Equal("我爱吃苹果", bpe.Detokenize(bpe.Tokenize("我爱吃苹果")));
    }

    [Fact]
    public void MergesSaveAndLoadUnchanged()
    {
        var merges = BpeLearner.Learn(Example, 8);
        using var file = TempFile.Empty(".merges");
        merges.Save(file.Path);
        Assert.Equal(merges.Merges, BpeMerges.Load(file.Path).Merges);
    }

    [Fact]
    public void BadMergesLineIsReportedWithFileAndLine()
    {
        using var file = TempFile.WithText("#s2s-bpe v1: merges in order, one 'left right' per line; end-of-word marker </w>\na b\nabc\n", ".merges");
        var e = Assert.Throws<DataFormatException>(() => BpeMerges.Load(file.Path));
        Assert.Equal(3, e.Line);
        Assert.Equal("merge", e.Field);
    }

    [Fact]
    public void LearningIsFastOnAThirtyThousandSentenceCorpus()
    {
        // 30k sentences of 20 words from a Zipf-like vocabulary of pseudo-words: like a real corpus's word counts.
        var random = new Random(7);
        const string letters = "etaoinshrdlcumwfgypbvkjxqz";
        var vocab = Enumerable.Range(0, 40_000)
            .Select(_ => new string(Enumerable.Range(0, 2 + random.Next(10)).Select(_ => letters[(int)(letters.Length * Math.Pow(random.NextDouble(), 2))]).ToArray()))
            .ToArray();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < 30_000 * 20; i++)
        {
            string w = vocab[(int)(vocab.Length * Math.Pow(random.NextDouble(), 3))];
            counts[w] = counts.GetValueOrDefault(w) + 1;
        }
        var watch = Stopwatch.StartNew();
        var merges = BpeLearner.Learn(counts, 8000);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"8000 merges took {watch.Elapsed}");
        Assert.True(merges.Merges.Count > 5000);
    }
}
