using Seq2Seq.Decoding;
using Seq2Seq.Serving;

namespace Seq2Seq.Tests.Serving;

/// <summary>The batcher's work budget, admission, smallest-work-first scheduling and cancellation, with a stand-in
/// decoder that records its batches and can be held.</summary>
public class DynamicBatcherTests
{
    /// <summary>Decodes by upper-casing; each call is recorded, and waits while <see cref="Hold"/> is reset.</summary>
    sealed class FakeDecoder
    {
        public readonly ManualResetEventSlim Hold = new(true);
        public readonly List<List<string>> Calls = [];
        public readonly SemaphoreSlim Entered = new(0);
        public Func<int, bool>? LastAbandoned;

        public IReadOnlyList<Translation> Decode(IReadOnlyList<string> texts, int beam, int nbest, bool attention, Func<int, bool> abandoned)
        {
            lock (Calls) Calls.Add(texts.ToList());
            LastAbandoned = abandoned;
            Entered.Release();
            Hold.Wait();
            return texts.Select(t => new Translation(t, [t], [new TranslationCandidate(t.ToUpperInvariant(), [t], -1, -1, null)])).ToList();
        }
    }

    // A text of n characters has n tokens and an output limit of n: beam × (n + 1) row-steps.
    static DynamicBatcher Batcher(FakeDecoder d, ServerOptions options) =>
        new(d.Decode, t => t.Length, n => n, options with { BatchWaitMilliseconds = 0 });

    static TranslateRequest Request(params string[] texts) => new(texts, null, 1, false);

    [Fact]
    public async Task ARequestOverTheWorkBudgetIsRefusedNamingItsSize()
    {
        var d = new FakeDecoder();
        using var b = Batcher(d, new ServerOptions { MaxWork = 100, MaxQueueWork = 100 });
        var e = Assert.Throws<RequestError>(() => { _ = b.TranslateAsync(Request(new string('a', 9), new string('b', 9)), 6, default); });
        Assert.Equal(413, e.Status);
        Assert.Contains("120 decoder steps (2 texts × beam 6 × up to 10 output tokens); at most 100", e.Message);
        Assert.Equal(["X"], (await b.TranslateAsync(Request("x"), 6, default)).Select(t => t.Text));
    }

    [Fact]
    public async Task AFullQueueAnswers503WithRetryAfter()
    {
        var d = new FakeDecoder();
        d.Hold.Reset();
        using var b = Batcher(d, new ServerOptions { MaxQueue = 2 });
        var first = b.TranslateAsync(Request("a"), 1, default);
        Assert.True(d.Entered.Wait(TimeSpan.FromSeconds(10)));        // "a" is being decoded and still counts
        var second = b.TranslateAsync(Request("b"), 1, default);
        var e = Assert.Throws<RequestError>(() => { _ = b.TranslateAsync(Request("c"), 1, default); });
        Assert.Equal(503, e.Status);
        Assert.Contains("2 requests are queued (at most 2)", e.Message);
        Assert.True(e.RetryAfterSeconds >= 1);
        d.Hold.Set();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WhenLoadedLargeRequestsAreRefusedButSmallOnesAreTakenAndGoFirst()
    {
        var d = new FakeDecoder();
        d.Hold.Reset();
        // Work per text: beam 1 × (10 + 1) = 11 for "x" * 10; a batch holds at most 22 (two such texts).
        using var b = Batcher(d, new ServerOptions { MaxWork = 200, MaxQueueWork = 200, MaxBatchWork = 22 });
        string Big(int i) => new string((char)('a' + i), 10);
        var large = b.TranslateAsync(Request(Enumerable.Range(0, 8).Select(Big).ToArray()), 1, default);  // 88
        Assert.True(d.Entered.Wait(TimeSpan.FromSeconds(10)));       // its first two texts are being decoded
        var secondLarge = b.TranslateAsync(Request(Enumerable.Range(0, 8).Select(Big).ToArray()), 1, default);   // 88 + 88 ≤ 200
        // A third large one would have 176 ahead of it: refused. A small one has nothing smaller ahead: taken.
        var e = Assert.Throws<RequestError>(() => { _ = b.TranslateAsync(Request(Enumerable.Range(0, 8).Select(Big).ToArray()), 1, default); });
        Assert.Equal(503, e.Status);
        var small = b.TranslateAsync(Request("hi"), 1, default);
        d.Hold.Set();
        Assert.Equal(["HI"], (await small).Select(t => t.Text));
        await Task.WhenAll(large, secondLarge);
        // Batches: the large one's first chunk, then the small request before the rest of the large ones.
        Assert.Equal(["aaaaaaaaaa", "bbbbbbbbbb"], d.Calls[0]);
        Assert.Equal("hi", d.Calls[1][0]);
        Assert.All(d.Calls.Skip(1), c => Assert.True(c.Count <= 2));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => Big(i).ToUpperInvariant()), (await large).Select(t => t.Text));
    }

    [Fact]
    public async Task SmallRequestsAreServedInOrderOfArrivalSoNoneIsStarvedBySmallerOnes()
    {
        var d = new FakeDecoder();
        d.Hold.Reset();
        // A batch holds 33 row-steps: the 3-text request fills one; a stream of 1-text requests must not overtake it.
        using var b = Batcher(d, new ServerOptions { MaxBatchWork = 33 });
        var blocker = b.TranslateAsync(Request("z"), 1, default);
        Assert.True(d.Entered.Wait(TimeSpan.FromSeconds(10)));
        var three = b.TranslateAsync(Request(new string('a', 10), new string('b', 10), new string('c', 10)), 1, default);
        var ones = Enumerable.Range(0, 5).Select(i => b.TranslateAsync(Request($"{i}"), 1, default)).ToList();
        d.Hold.Set();
        await Task.WhenAll(ones.Append(three).Append(blocker));
        Assert.Equal(["aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"], d.Calls[1]);
    }

    [Fact]
    public async Task ACancelledRequestLeavesTheQueueAndIsMarkedAbandonedToTheBatchDecodingIt()
    {
        var d = new FakeDecoder();
        d.Hold.Reset();
        using var b = Batcher(d, new ServerOptions { MaxQueue = 2 });
        using var cancelFirst = new CancellationTokenSource();
        using var cancelQueued = new CancellationTokenSource();
        var first = b.TranslateAsync(Request("a", "b"), 1, cancelFirst.Token);
        Assert.True(d.Entered.Wait(TimeSpan.FromSeconds(10)));
        var queued = b.TranslateAsync(Request("c"), 1, cancelQueued.Token);
        Assert.False(d.LastAbandoned!(0));
        cancelFirst.Cancel();
        Assert.True(d.LastAbandoned!(0) && d.LastAbandoned(1));      // the search sees it at its next step
        cancelQueued.Cancel();
        var next = b.TranslateAsync(Request("d"), 1, default);          // the cancelled one no longer fills the queue
        d.Hold.Set();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(["D"], (await next).Select(t => t.Text));
        Assert.DoesNotContain(d.Calls, c => c.Contains("c"));
    }
}
