namespace Seq2Seq.Serving;

/// <summary>A request the server refuses: the HTTP status and a message that says what is wrong.</summary>
public sealed class RequestError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
