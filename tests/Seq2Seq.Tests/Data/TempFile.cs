using System.Text;

namespace Seq2Seq.Tests.Data;

/// <summary>A uniquely named file under the system temp folder, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    TempFile(string path) => Path = path;

    public string Path { get; }

    public static TempFile WithBytes(byte[] bytes, string extension = ".tsv")
    {
        var file = Empty(extension);
        File.WriteAllBytes(file.Path, bytes);
        return file;
    }

    public static TempFile WithText(string text, string extension = ".tsv") =>
        WithBytes(new UTF8Encoding(false).GetBytes(text), extension);

    /// <summary>A unique path with no file there yet.</summary>
    public static TempFile Empty(string extension = ".tsv") =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"seq2seq-data-{Guid.NewGuid():N}{extension}"));

    public void Dispose()
    {
        if (File.Exists(Path)) File.Delete(Path);
    }
}
