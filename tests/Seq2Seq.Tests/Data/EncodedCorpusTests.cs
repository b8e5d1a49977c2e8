using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class EncodedCorpusTests
{
    [Fact]
    public void DropsPairsOutsideTheLengthLimit()
    {
        SentencePair[] pairs =
        [
            new("a b", "x y", 1),
            new("a b c d", "x", 2),   // source too long
            new("a", "x y z w", 3),   // target too long
            new("!", "—", 4),
            new("a b c", "x y z", 5), // exactly the limit
        ];
        var tokenizer = new WordTokenizer(lowercase: false);
        var tokenized = EncodedCorpus.TokenizeAll(pairs, tokenizer, tokenizer);
        var sourceVocab = Vocabulary.Build(tokenized.Select(p => p.Source), 1, 0);
        var targetVocab = Vocabulary.Build(tokenized.Select(p => p.Target), 1, 0);

        var corpus = EncodedCorpus.Create(tokenized, sourceVocab, targetVocab, maxLength: 3);
        Assert.Equal(3, corpus.Count);
        Assert.Equal(2, corpus.DroppedByLength);
        Assert.Equal([0, 3, 4], corpus.PairIndices);
        Assert.Equal(sourceVocab.Encode(["a", "b", "c"]), corpus.Sources[2]);
        Assert.Equal(["x", "y", "z"], targetVocab.Decode(corpus.Targets[2]));

        var unlimited = EncodedCorpus.Create(pairs, tokenizer, tokenizer, sourceVocab, targetVocab, maxLength: 0);
        Assert.Equal(5, unlimited.Count);
        Assert.Equal(0, unlimited.DroppedByLength);
    }

    [Fact]
    public void DropsPairsWithNoTokens()
    {
        SentencePair[] pairs = [new("a", "x", 1), new(" ", "x", 2), new("a", "", 3)];
        var tokenizer = new SpaceTokenizer(lowercase: false);
        var vocab = Vocabulary.Build([["a", "x"]], 1, 0);
        var corpus = EncodedCorpus.Create(pairs, tokenizer, tokenizer, vocab, vocab, maxLength: 0);
        Assert.Equal(1, corpus.Count);
        Assert.Equal(2, corpus.DroppedByLength);
    }
}
