using Seq2Seq.Data;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

public class QualityScoresTests
{
    static readonly SentencePair[] Pairs =
    [
        new("s1", "I like apples.", 1),
        new("s2", "Don't say \"never\" (again), John's friend said: 50% of $100!", 2),
    ];

    [Fact]
    public void DetokenisedWordOutputScoresAsTheReferenceOnBothBleus()
    {
        // The model emits word tokens; what is scored is their detokenised text. Both the sacreBLEU figure (on text) and
        // the tokenised BLEU (re-tokenised with the word rule) must see a perfect hypothesis as perfect.
        var word = new WordTokenizer(lowercase: false);
        var hyps = Pairs.Select(p => word.Detokenize(word.Tokenize(p.Target))).ToList();
        Assert.Equal(Pairs.Select(p => p.Target), hyps);
        var q = QualityScores.Compute("bleu", Pairs, hyps, word);
        Assert.Equal(100, q.Bleu!.Value, 6);
        Assert.Equal(100, q.TokenizedBleu!.Value, 6);
    }

    [Fact]
    public void TokenisedBleuOfBpeOutputCountsWordsNotSubwords()
    {
        var word = new WordTokenizer(lowercase: false);
        var merges = BpeLearner.Learn(BpeLearner.CountWords(Pairs.Select(p => word.Tokenize(p.Target))), 10);
        var bpe = new BpeTokenizer(word, merges);
        string[] hyps = ["I like apple.", "Don't say \"never\" (again), John's friend said: 50% of $100!"];
        var withBpe = QualityScores.Compute("bleu", Pairs, hyps, bpe);
        var withWords = QualityScores.Compute("bleu", Pairs, hyps, word);
        Assert.Equal(withWords.TokenizedBleu, withBpe.TokenizedBleu);
        Assert.Equal(withWords.Bleu, withBpe.Bleu);
    }
}
