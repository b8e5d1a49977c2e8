using System.Diagnostics;

namespace Seq2Seq.Tests.Data;

/// <summary>Trains tiny SentencePiece models with the <c>spm_train</c> program, when it is installed.</summary>
internal static class SpmTrain
{
    /// <summary>The program's path, or null when it is not on PATH.</summary>
    public static string? Path { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => System.IO.Path.Combine(d, "spm_train"))
        .FirstOrDefault(File.Exists);

    /// <summary>Trains a model on <paramref name="lines"/> and returns the path of <c>{prefix}.model</c>.</summary>
    public static string Train(IEnumerable<string> lines, string prefix, int vocabSize)
    {
        string input = prefix + ".txt";
        File.WriteAllLines(input, lines);
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("spm_train is not installed"))
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        };
        foreach (string a in new[] { $"--input={input}", $"--model_prefix={prefix}", $"--vocab_size={vocabSize}",
                     "--hard_vocab_limit=false", "--num_threads=1", "--minloglevel=2" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"spm_train failed: {stderr.Result}");
        return prefix + ".model";
    }
}
