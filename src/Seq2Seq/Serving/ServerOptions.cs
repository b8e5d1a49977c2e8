namespace Seq2Seq.Serving;

/// <summary>Settings of <c>s2s serve</c>: where it listens, how it batches, and the limits a request must keep.</summary>
public sealed record ServerOptions
{
    /// <summary>Addresses Kestrel listens on (semicolon-separated); loopback by default. Port 0 picks a free port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Dynamic batching: requests waiting together are merged up to this many source tokens per batch.</summary>
    public int MaxBatchTokens { get; init; } = 4096;

    /// <summary>Dynamic batching: how long the first request of a batch waits for others to join it.</summary>
    public int BatchWaitMilliseconds { get; init; } = 5;

    /// <summary>Largest request body (bytes).</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Most texts in one request.</summary>
    public int MaxTexts { get; init; } = 64;

    /// <summary>Most characters (UTF-16 code units) in one text.</summary>
    public int MaxInputChars { get; init; } = 2000;

    /// <summary>Largest beam a request may ask for (n-best is limited by the beam).</summary>
    public int MaxBeam { get; init; } = 16;

    /// <summary>A request still waiting for its translation after this long gets 504 (and leaves the decoding batch).</summary>
    public double RequestTimeoutSeconds { get; init; } = 60;

    /// <summary>Most estimated decoder work of one request, in row-steps: Σ over its texts of beam × (output-length
    /// limit + 1). More is refused with 413. The default is what 2 CPU cores decode with the quickstart model in about
    /// 20 s (bench/RESULTS.md).</summary>
    public long MaxWork { get; init; } = 100_000;

    /// <summary>Most requests queued or being decoded; more are refused with 503 and Retry-After.</summary>
    public int MaxQueue { get; init; } = 512;

    /// <summary>Admission: the work decoded before a new request (the queued requests no larger than it) plus its own
    /// may be at most this many row-steps; more is refused with 503 and Retry-After. Small requests have little ahead of
    /// them, so when the server is loaded it refuses large requests first.</summary>
    public long MaxQueueWork { get; init; } = 300_000;

    /// <summary>Most row-steps in one decoding batch: a large request is decoded a few texts at a time, and small
    /// requests arriving meanwhile go first.</summary>
    public long MaxBatchWork { get; init; } = 20_000;

    /// <summary>Most attention weights one answer may carry (texts × hypotheses with attention × output × source tokens,
    /// estimated from the length limits); more is refused with 413.</summary>
    public long MaxAttentionCells { get; init; } = 1_000_000;

    /// <summary>When set, <c>/v1/translate</c> and <c>/v1/model</c> require <c>Authorization: Bearer &lt;key&gt;</c>
    /// (<c>/v1/health</c> and the page stay open).</summary>
    public string? ApiKey { get; init; }

    /// <summary>The addresses of <see cref="Urls"/> that are not loopback (anyone on the network may reach them).</summary>
    public IReadOnlyList<string> NonLoopbackUrls() =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(u =>
        {
            // Kestrel's wildcards ("http://*:5080", "http://+:5080") are not valid URIs: they mean every interface.
            if (!Uri.TryCreate(u.Replace("://*", "://wildcard").Replace("://+", "://wildcard"), UriKind.Absolute, out var uri)) return true;
            if (uri.Host == "wildcard") return true;
            if (uri.IsLoopback) return false;
            return !(System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
        }).ToList();

    /// <summary>Checks the settings themselves (a bad command line, not a bad request).</summary>
    /// <exception cref="ArgumentException">A limit is not positive.</exception>
    public void Validate()
    {
        void Positive(double value, string name)
        {
            if (!(value > 0)) throw new ArgumentException($"{name} must be positive (got {value})");
        }
        Positive(MaxBatchTokens, "--max-batch-tokens");
        Positive(BatchWaitMilliseconds + 1, "--batch-wait-ms + 1");
        Positive(MaxBodyBytes, "--max-body-bytes");
        Positive(MaxTexts, "--max-texts");
        Positive(MaxInputChars, "--max-input-chars");
        Positive(MaxBeam, "--max-beam");
        Positive(RequestTimeoutSeconds, "--timeout");
        Positive(MaxWork, "--max-work");
        Positive(MaxQueue, "--max-queue");
        Positive(MaxQueueWork, "--max-queue-work");
        Positive(MaxBatchWork, "--max-batch-work");
        Positive(MaxAttentionCells, "--max-attention-cells");
        if (MaxQueueWork < MaxWork) throw new ArgumentException($"--max-queue-work ({MaxQueueWork}) must be at least --max-work ({MaxWork}), or a largest request could never be queued");
        if (ApiKey is { Length: 0 }) throw new ArgumentException("--api-key is empty");
        if (string.IsNullOrWhiteSpace(Urls)) throw new ArgumentException("--urls must name at least one address");
    }
}
