namespace Seq2Seq.Configuration;

/// <summary>A configuration problem, with the file, line and key it concerns in the message.</summary>
public sealed class ConfigException(string message) : Exception(message);
