using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Seq2Seq.Data;

/// <summary>
/// A text file held as bytes and cut into lines the way Python's text mode does (universal newlines: "\n", "\r\n" and
/// a lone "\r" each end a line; a final line without a terminator counts; no empty line after a final terminator).
/// Lines are decoded one at a time so that an encoding problem can be reported with its line number.
/// </summary>
internal sealed class Utf8LineFile
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    readonly byte[] _bytes;
    readonly List<(int Start, int Length)> _lines;

    Utf8LineFile(string path, byte[] bytes)
    {
        Path = path;
        _bytes = bytes;
        _lines = SplitLines(bytes);
    }

    /// <summary>The path as the caller gave it (used in messages).</summary>
    public string Path { get; }

    /// <summary>Number of lines.</summary>
    public int LineCount => _lines.Count;

    /// <summary>Reads a whole file; a missing file gives a <see cref="FileNotFoundException"/> naming the path.</summary>
    public static Utf8LineFile Read(string path, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The {description} '{path}' does not exist.", path);
        return new Utf8LineFile(path, File.ReadAllBytes(path));
    }

    /// <summary>
    /// Decodes line <paramref name="index"/> (0-based) as strict UTF-8. Returns false, with a description of the
    /// problem, for invalid UTF-8 or a NUL byte.
    /// </summary>
    public bool TryDecode(int index, out string text, out string problem)
    {
        var (start, length) = _lines[index];
        var bytes = _bytes.AsSpan(start, length);
        int nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            text = "";
            problem = $"NUL byte at byte {nul + 1} of the line";
            return false;
        }
        if (!Utf8.IsValid(bytes))
        {
            text = "";
            problem = DescribeInvalid(bytes);
            return false;
        }
        text = Strict.GetString(bytes);
        problem = "";
        return true;
    }

    static string DescribeInvalid(ReadOnlySpan<byte> bytes)
    {
        char[] buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length));
        try
        {
            Utf8.ToUtf16(bytes, buffer, out int read, out _, replaceInvalidSequences: false);
            return $"invalid UTF-8 (byte 0x{bytes[read]:X2} at byte {read + 1} of the line)";
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    static List<(int Start, int Length)> SplitLines(byte[] bytes)
    {
        var lines = new List<(int, int)>();
        var data = bytes.AsSpan();
        int pos = data.StartsWith("\uFEFF"u8) ? 3 : 0;
        while (pos < data.Length)
        {
            int rel = data[pos..].IndexOfAny((byte)'\n', (byte)'\r');
            if (rel < 0)
            {
                lines.Add((pos, data.Length - pos));
                break;
            }
            lines.Add((pos, rel));
            pos += rel;
            pos += data[pos] == (byte)'\r' && pos + 1 < data.Length && data[pos + 1] == (byte)'\n' ? 2 : 1;
        }
        return lines;
    }
}
