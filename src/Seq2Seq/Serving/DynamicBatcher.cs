using System.Diagnostics;
using Seq2Seq.Decoding;

namespace Seq2Seq.Serving;

/// <summary>
/// Schedules translation requests onto one decoding thread, with bounded work and without starving small requests.
/// Each request's work is estimated before it is queued: per text, beam × (output-length limit + 1) decoder row-steps.
/// <list type="bullet">
/// <item>A request over <see cref="ServerOptions.MaxWork"/> is refused (413, naming its size).</item>
/// <item>Order: small requests (work within one batch, <see cref="ServerOptions.MaxBatchWork"/>) first, in order of
/// arrival, so none is starved by a stream of smaller ones; then large requests, smallest remaining work first. A batch
/// takes texts from the requests in that order, with the same beam and n-best, up to
/// <see cref="ServerOptions.MaxBatchTokens"/> source tokens and <see cref="ServerOptions.MaxBatchWork"/> row-steps, so
/// a large request is decoded a few texts at a time and small requests arriving meanwhile go ahead of its rest.</item>
/// <item>Admission: a request is queued only while fewer than <see cref="ServerOptions.MaxQueue"/> wait and the work
/// that will be decoded before it (in the order above) plus its own stays within
/// <see cref="ServerOptions.MaxQueueWork"/>; otherwise 503 with a Retry-After estimate. Large requests are refused when
/// the server is loaded; small ones have little ahead of them and are still taken.</item>
/// <item>A request cancelled (timeout, client gone) leaves the queue, and its texts leave the decoding batch at the
/// next search step.</item>
/// </list>
/// The first waiting request waits up to <see cref="ServerOptions.BatchWaitMilliseconds"/> for others to join it.
/// Each request gets exactly its own texts' results, in its own order, as decoding it alone would give them.
/// </summary>
public sealed class DynamicBatcher : IDisposable
{
    /// <summary>Decodes texts with one search setting: (texts, beam, nbest, attention, abandoned text index) → one
    /// result per text, in order. <c>abandoned(i)</c> turns true once text i's request no longer wants it.</summary>
    public delegate IReadOnlyList<Translation> Decode(IReadOnlyList<string> texts, int beam, int nbest, bool attention, Func<int, bool> abandoned);

    sealed class Pending(TranslateRequest request, int beam, int[] tokens, long[] work, CancellationToken cancel, long order)
    {
        public TranslateRequest Request { get; } = request;
        public int Beam { get; } = beam;
        public int[] Tokens { get; } = tokens;
        public long[] Work { get; } = work;
        public CancellationToken Cancel { get; } = cancel;
        public long Order { get; } = order;
        public DateTime Arrived { get; } = DateTime.UtcNow;
        public Translation[] Results { get; } = new Translation[request.Texts.Count];
        public TaskCompletionSource<IReadOnlyList<Translation>> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Next;            // the first text not yet given to a batch
        public long Remaining = work.Sum();
        public bool Scheduled => Next >= Request.Texts.Count;
        public long Total { get; } = work.Sum();
    }

    readonly object gate = new();
    readonly List<Pending> pending = [];
    readonly Decode decode;
    readonly Func<string, int> countTokens;
    readonly Func<int, int> outputLimit;
    readonly ServerOptions options;
    readonly Thread worker;
    bool stopping;
    long arrivals;
    double workPerSecond = 5000;   // measured as batches complete; only used for Retry-After

    /// <param name="decode">Called on the batcher's own thread only, one batch at a time.</param>
    /// <param name="countTokens">Source tokens of a text as decoded (after any truncation).</param>
    /// <param name="outputLimit">The output-length limit (without &lt;/s&gt;) of a source of that many tokens.</param>
    public DynamicBatcher(Decode decode, Func<string, int> countTokens, Func<int, int> outputLimit, ServerOptions options)
    {
        (this.decode, this.countTokens, this.outputLimit, this.options) = (decode, countTokens, outputLimit, options);
        worker = new Thread(Run) { IsBackground = true, Name = "s2s-decoder" };
        worker.Start();
    }

    /// <summary>Batches decoded so far and the requests they held (each request counted once; for tests and logs).</summary>
    public long Batches => Interlocked.Read(ref batches);
    public long BatchedRequests => Interlocked.Read(ref batchedRequests);
    long batches, batchedRequests;

    /// <summary>Requests queued or being decoded, and their estimated remaining work (row-steps).</summary>
    public (int Requests, long Work) Load
    {
        get { lock (gate) return (pending.Count, pending.Sum(p => p.Remaining)); }
    }

    /// <summary>The estimated decoder row-steps of <paramref name="request"/> at <paramref name="beam"/>, and the longest
    /// output-length limit among its texts.</summary>
    public (long Work, int MaxOutput) Estimate(TranslateRequest request, int beam)
    {
        long work = 0;
        int maxOutput = 0;
        foreach (var text in request.Texts)
        {
            int limit = outputLimit(countTokens(text));
            work += (long)beam * (limit + 1);
            maxOutput = Math.Max(maxOutput, limit + 1);
        }
        return (work, maxOutput);
    }

    /// <summary>Queues a request; completes with one <see cref="Translation"/> per text, or is cancelled.</summary>
    /// <exception cref="RequestError">413: over the work or attention budget; 503: the queue is full or shutting down.</exception>
    public Task<IReadOnlyList<Translation>> TranslateAsync(TranslateRequest request, int beam, CancellationToken cancel)
    {
        var tokens = request.Texts.Select(countTokens).ToArray();
        var limits = tokens.Select(outputLimit).ToArray();
        var work = limits.Select(l => (long)beam * (l + 1)).ToArray();
        long total = work.Sum();
        if (total > options.MaxWork)
            throw new RequestError(413, $"the request needs up to {total:N0} decoder steps ({request.Texts.Count} texts × beam {beam} × up to " +
                $"{limits.Max() + 1} output tokens); at most {options.MaxWork:N0} are allowed per request: send fewer or shorter texts, or a smaller beam");
        if (request.Attention)
        {
            int withAttention = request.AttentionNBest ? request.NBest : 1;
            long cells = tokens.Zip(limits).Sum(x => (long)withAttention * x.First * (x.Second + 1));
            if (cells > options.MaxAttentionCells)
                throw new RequestError(413, $"the attention asked for has up to {cells:N0} weights ({withAttention} hypotheses × output × source " +
                    $"tokens); at most {options.MaxAttentionCells:N0} are allowed per request: send fewer texts, or ask for the attention of the best hypothesis only");
        }
        lock (gate)
        {
            if (stopping) throw new RequestError(503, "the server is shutting down", retryAfterSeconds: 1);
            Sweep();
            if (pending.Count >= options.MaxQueue)
                throw Busy($"{pending.Count} requests are queued (at most {options.MaxQueue})", pending.Sum(p => p.Remaining));
            long ahead = pending.Where(p => Small(p.Total) || (!Small(total) && p.Remaining <= total)).Sum(p => p.Remaining);
            if (pending.Count > 0 && ahead + total > options.MaxQueueWork)
                throw Busy($"{ahead:N0} decoder steps are queued ahead of this request's {total:N0} (at most {options.MaxQueueWork:N0} together)", ahead + total);
            var p = new Pending(request, beam, tokens, work, cancel, arrivals++);
            pending.Add(p);
            Monitor.PulseAll(gate);
            return p.Result.Task;
        }
    }

    /// <summary>A small request fits in one batch: it is served in order of arrival, before the large ones.</summary>
    bool Small(long work) => work <= options.MaxBatchWork;

    RequestError Busy(string why, long workAhead)
    {
        int seconds = (int)Math.Clamp(Math.Ceiling(workAhead / workPerSecond), 1, 60);
        return new RequestError(503, $"the server is busy: {why}; retry in about {seconds} s", retryAfterSeconds: seconds);
    }

    // Under the lock: drops the requests cancelled before any of their texts was decoded (the decoding thread holds
    // none of them outside the lock, so any cancelled request can go).
    void Sweep()
    {
        pending.RemoveAll(p =>
        {
            if (!p.Cancel.IsCancellationRequested) return false;
            p.Result.TrySetCanceled(p.Cancel);
            return true;
        });
    }

    void Run()
    {
        while (true)
        {
            List<(Pending Request, int Text)> chunk;
            lock (gate)
            {
                while (true)
                {
                    Sweep();
                    if (pending.Count == 0)
                    {
                        if (stopping) return;
                        Monitor.Wait(gate);
                        continue;
                    }
                    // The first request of a batch waits a little for others to join it, unless enough tokens wait.
                    var wait = pending.Min(p => p.Arrived).AddMilliseconds(options.BatchWaitMilliseconds) - DateTime.UtcNow;
                    if (wait > TimeSpan.Zero && !stopping && pending.Sum(p => p.Tokens.Skip(p.Next).Sum()) < options.MaxBatchTokens)
                    {
                        Monitor.Wait(gate, wait);
                        continue;
                    }
                    break;
                }
                chunk = Pick();
                Interlocked.Increment(ref batches);
            }
            DecodeChunk(chunk);
        }
    }

    // Under the lock: the next batch, small requests by arrival, then large ones by remaining work (see the class summary).
    List<(Pending Request, int Text)> Pick()
    {
        var order = pending.Where(p => !p.Scheduled)
            .OrderBy(p => Small(p.Total) ? 0 : 1).ThenBy(p => Small(p.Total) ? 0 : p.Remaining).ThenBy(p => p.Order).ToList();
        var first = order[0];
        var chunk = new List<(Pending, int)>();
        long tokens = 0, work = 0;
        foreach (var p in order.Where(p => p.Beam == first.Beam && p.Request.NBest == first.Request.NBest))
        {
            if (p.Next == 0) Interlocked.Increment(ref batchedRequests);
            while (!p.Scheduled)
            {
                int i = p.Next;
                if (chunk.Count > 0 && (tokens + p.Tokens[i] > options.MaxBatchTokens || work + p.Work[i] > options.MaxBatchWork))
                {
                    if (p.Next == 0) Interlocked.Decrement(ref batchedRequests);
                    return chunk;
                }
                chunk.Add((p, i));
                p.Next++;
                tokens += p.Tokens[i];
                work += p.Work[i];
            }
        }
        return chunk;
    }

    void DecodeChunk(List<(Pending Request, int Text)> chunk)
    {
        var requests = chunk.Select(c => c.Request).Distinct().ToList();
        var first = chunk[0].Request;
        var clock = Stopwatch.StartNew();
        IReadOnlyList<Translation>? results = null;
        Exception? error = null;
        try
        {
            results = decode(chunk.Select(c => c.Request.Request.Texts[c.Text]).ToList(), first.Beam, first.Request.NBest,
                chunk.Any(c => c.Request.Request.Attention), i => chunk[i].Request.Cancel.IsCancellationRequested);
        }
        catch (Exception e) { error = e; }
        lock (gate)
        {
            if (results is not null)
            {
                long work = chunk.Sum(c => c.Request.Work[c.Text]);
                if (clock.Elapsed.TotalSeconds > 0.01) workPerSecond = 0.8 * workPerSecond + 0.2 * (work / clock.Elapsed.TotalSeconds);
                for (int j = 0; j < chunk.Count; j++)
                {
                    var (p, i) = chunk[j];
                    p.Results[i] = Trim(results[j], p.Request);
                    p.Remaining -= p.Work[i];
                }
            }
            foreach (var p in requests)
            {
                bool finished = error is not null || p.Cancel.IsCancellationRequested || (p.Scheduled && p.Remaining == 0);
                if (!finished) continue;
                if (error is not null) p.Result.TrySetException(error);
                else if (p.Cancel.IsCancellationRequested) p.Result.TrySetCanceled(p.Cancel);
                else p.Result.TrySetResult(p.Results);
                pending.Remove(p);
            }
        }
    }

    /// <summary>Drops the attention (and hybrid gates) a request did not ask for: all of it without "attention", all
    /// but the best hypothesis's without "attention_nbest".</summary>
    static Translation Trim(Translation t, TranslateRequest r) => t with
    {
        NBest = t.NBest.Select((c, k) => r.Attention && (k == 0 || r.AttentionNBest) ? c : c with { Attention = null, Gates = null }).ToList(),
    };

    /// <summary>Stops taking requests, finishes the queued ones and waits for the decoding thread.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            stopping = true;
            Monitor.PulseAll(gate);
        }
        worker.Join();
    }
}
