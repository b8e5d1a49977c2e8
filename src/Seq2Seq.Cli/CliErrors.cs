using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Evaluation;

namespace Seq2Seq.Cli;

/// <summary>
/// Exit codes and the one place expected failures become a one-line message instead of a stack dump:
/// 0 success, 1 the run failed (e.g. training stopped on numerical faults), 2 bad input (config, data, arguments),
/// 3 an unexpected internal error (reported with its stack trace, which is a bug to file).
/// </summary>
public static class CliErrors
{
    public const int Ok = 0, Failed = 1, BadInput = 2, Internal = 3;

    public static int Guard(Func<int> action)
    {
        try { return action(); }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }

    static bool IsUserError(Exception e) => e is ConfigException or DataFormatException or EvaluationInputException
        or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UnauthorizedAccessException
        or Onnx.OnnxExportException
        || (e is ArgumentException && e.GetType() == typeof(ArgumentException));
}
