namespace Seq2Seq.Serving;

/// <summary>A request the server refuses: the HTTP status and a message that says what is wrong.</summary>
/// <param name="retryAfterSeconds">For 503: when to retry, sent as the Retry-After header.</param>
public sealed class RequestError(int status, string message, int? retryAfterSeconds = null) : Exception(message)
{
    public int Status { get; } = status;
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
