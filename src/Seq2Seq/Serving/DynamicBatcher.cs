using System.Threading.Channels;
using Seq2Seq.Decoding;

namespace Seq2Seq.Serving;

/// <summary>
/// Merges concurrent translation requests into batches for one decoding thread: the first waiting request opens a
/// batch, others join it until the batch holds <see cref="ServerOptions.MaxBatchTokens"/> source tokens or
/// <see cref="ServerOptions.BatchWaitMilliseconds"/> have passed; requests with the same beam size and n-best are
/// decoded together (so each gets what decoding it alone would give; attention is dropped for those that did not ask).
/// Each request gets exactly its own texts' results, in its own order.
/// </summary>
public sealed class DynamicBatcher : IDisposable
{
    /// <summary>Decodes texts with one search setting: (texts, beam, nbest, attention) → one result per text, in order.</summary>
    public delegate IReadOnlyList<Translation> Decode(IReadOnlyList<string> texts, int beam, int nbest, bool attention);

    sealed record Work(TranslateRequest Request, int Beam, int Tokens, TaskCompletionSource<IReadOnlyList<Translation>> Result, CancellationToken Cancel);

    readonly Channel<Work> queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    readonly Decode decode;
    readonly Func<string, int> countTokens;
    readonly ServerOptions options;
    readonly Thread worker;

    /// <param name="decode">Called on the batcher's own thread only, one batch at a time.</param>
    /// <param name="countTokens">Source tokens of a text (for the batch budget).</param>
    public DynamicBatcher(Decode decode, Func<string, int> countTokens, ServerOptions options)
    {
        (this.decode, this.countTokens, this.options) = (decode, countTokens, options);
        worker = new Thread(Run) { IsBackground = true, Name = "s2s-decoder" };
        worker.Start();
    }

    /// <summary>Batches decoded so far and the requests they held (for tests and logs).</summary>
    public long Batches => Interlocked.Read(ref batches);
    public long BatchedRequests => Interlocked.Read(ref batchedRequests);
    long batches, batchedRequests;

    /// <summary>Queues a request; completes with one <see cref="Translation"/> per text, or is cancelled.</summary>
    public Task<IReadOnlyList<Translation>> TranslateAsync(TranslateRequest request, int beam, CancellationToken cancel)
    {
        var work = new Work(request, beam, request.Texts.Sum(countTokens), new(TaskCreationOptions.RunContinuationsAsynchronously), cancel);
        if (!queue.Writer.TryWrite(work)) throw new RequestError(503, "the server is shutting down");
        return work.Result.Task;
    }

    void Run()
    {
        var reader = queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            var batch = new List<Work>();
            int tokens = 0;
            var deadline = DateTime.UtcNow.AddMilliseconds(options.BatchWaitMilliseconds);
            while (true)
            {
                if (reader.TryPeek(out var next) && (batch.Count == 0 || tokens + next.Tokens <= options.MaxBatchTokens))
                {
                    reader.TryRead(out next);
                    if (next!.Cancel.IsCancellationRequested) { next.Result.TrySetCanceled(next.Cancel); continue; }
                    batch.Add(next);
                    tokens += next.Tokens;
                    continue;
                }
                if (reader.TryPeek(out _)) break;              // the next one does not fit: decode what we have
                var wait = deadline - DateTime.UtcNow;
                if (wait <= TimeSpan.Zero) break;
                using var timeout = new CancellationTokenSource(wait);
                try { if (!reader.WaitToReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult()) break; }
                catch (OperationCanceledException) { break; }
            }
            if (batch.Count == 0) continue;
            Interlocked.Increment(ref batches);
            Interlocked.Add(ref batchedRequests, batch.Count);
            foreach (var group in batch.GroupBy(w => (w.Beam, w.Request.NBest))) DecodeGroup(group.Key.Beam, group.Key.NBest, group.ToList());
        }
    }

    void DecodeGroup(int beam, int nbest, List<Work> group)
    {
        try
        {
            var texts = group.SelectMany(w => w.Request.Texts).ToList();
            var results = decode(texts, beam, nbest, group.Any(w => w.Request.Attention));
            int offset = 0;
            foreach (var w in group)
            {
                var mine = results.Skip(offset).Take(w.Request.Texts.Count).Select(t => Trim(t, w.Request)).ToList();
                offset += w.Request.Texts.Count;
                w.Result.TrySetResult(mine);
            }
        }
        catch (Exception e)
        {
            foreach (var w in group) w.Result.TrySetException(e);
        }
    }

    /// <summary>Drops the attention (and hybrid gates) a request did not ask for.</summary>
    static Translation Trim(Translation t, TranslateRequest r) =>
        r.Attention ? t : t with { NBest = t.NBest.Select(c => c with { Attention = null, Gates = null }).ToList() };

    /// <summary>Stops taking requests, finishes the queued ones and waits for the decoding thread.</summary>
    public void Dispose()
    {
        queue.Writer.TryComplete();
        worker.Join();
    }
}
