namespace Seq2Seq.Tests;

/// <summary>Files of the repository the tests read (configs, docs, tests/browser).</summary>
public static class RepoPaths
{
    /// <summary>The folder holding Seq2Seq.slnx, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Seq2Seq.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException($"no Seq2Seq.slnx above {AppContext.BaseDirectory}");
    }

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);
}
