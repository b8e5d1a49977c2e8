using Seq2Seq.Data;

namespace Seq2Seq.Tests.Robustness;

public class HugeLineTests
{
    [Fact]
    public void TenMegabyteLineIsReadAndThenSkippedByTheLengthFilter()
    {
        string path = Path.Combine(Path.GetTempPath(), $"huge-{Guid.NewGuid():N}.tsv");
        try
        {
            File.WriteAllText(path, "a b\tc d\n" + string.Join(' ', Enumerable.Repeat("wörd", 2_100_000)) + "\tshort\nx\ty\n");
            var pairs = ParallelCorpusReader.ReadTsv(path, 0, 1, BadLinePolicy.Error).Pairs;
            Assert.Equal(3, pairs.Count);
            Assert.True(pairs[1].Source.Length > 10_000_000);
            var tok = Tokenizers.Create("word", false);
            var tokens = EncodedCorpus.TokenizeAll(pairs, tok, tok);
            var vocab = Vocabulary.Build(tokens.Select(t => t.Source), 1, 0);
            var corpus = EncodedCorpus.Create(tokens, vocab, vocab, maxLength: 100);
            Assert.Equal(2, corpus.Count);
            Assert.Equal(1, corpus.DroppedByLength);
        }
        finally { File.Delete(path); }
    }
}
