namespace Seq2Seq.Data;

/// <summary>Applies a <see cref="BadLinePolicy"/>: throws at a bad line, or counts it and keeps the first messages.</summary>
internal sealed class BadLineLog(BadLinePolicy policy, int maxMessages)
{
    readonly List<string> _messages = [];

    /// <summary>Bad lines recorded so far.</summary>
    public int Count { get; private set; }

    /// <summary>The first messages recorded.</summary>
    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Throws under <see cref="BadLinePolicy.Error"/>; otherwise counts the line.</summary>
    public void Report(string file, int line, string field, string problem)
    {
        if (policy == BadLinePolicy.Error) throw new DataFormatException(file, line, field, problem);
        Count++;
        if (_messages.Count < maxMessages) _messages.Add(DataFormatException.Format(file, line, field, problem));
    }
}
