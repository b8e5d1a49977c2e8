using System.Text;

namespace Seq2Seq.Tests.Evaluation;

/// <summary>A temporary folder for test input files, deleted on dispose.</summary>
sealed class TempFiles : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("s2s-eval-").FullName;

    public string Write(string name, string content) => WriteBytes(name, new UTF8Encoding(false).GetBytes(content));

    public string WriteBytes(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
