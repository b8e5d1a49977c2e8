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

    /// <summary>A request still waiting for its translation after this long gets 504.</summary>
    public double RequestTimeoutSeconds { get; init; } = 60;

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
        if (string.IsNullOrWhiteSpace(Urls)) throw new ArgumentException("--urls must name at least one address");
    }
}
