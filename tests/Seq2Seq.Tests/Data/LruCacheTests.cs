using Seq2Seq.Data;

namespace Seq2Seq.Tests.Data;

public class LruCacheTests
{
    [Fact]
    public void KeepsAtMostItsCapacityAndForgetsTheLeastRecentlyUsed()
    {
        var cache = new LruCache<string, int>(2);
        cache.Add("a", 1);
        cache.Add("b", 2);
        Assert.True(cache.TryGetValue("a", out int a) && a == 1);   // "a" is now the most recent
        cache.Add("c", 3);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGetValue("b", out _));
        Assert.True(cache.TryGetValue("a", out _) && cache.TryGetValue("c", out _));
    }

    [Fact]
    public void BpeWordCacheStaysBoundedUnderAStreamOfNewWords()
    {
        var merges = new BpeMerges([("a", "b")]);
        for (int i = 0; i < BpeMerges.MaxCachedWords + 1000; i++) merges.Segment($"ab{i}");
        Assert.Equal(BpeMerges.MaxCachedWords, merges.CachedWords);
        merges.Segment(new string('a', BpeMerges.MaxCachedWordLength + 1));
        Assert.Equal(BpeMerges.MaxCachedWords, merges.CachedWords);
        Assert.Equal(["ab@@", "c"], merges.Segment("abc").ToArray());
    }
}
