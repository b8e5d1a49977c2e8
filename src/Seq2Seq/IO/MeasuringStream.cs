using System.Security.Cryptography;

namespace Seq2Seq.IO;

/// <summary>
/// A write-only stream that counts (and, when asked, SHA-256-hashes) the bytes written through it on their way to
/// an inner stream, or nowhere. Lets a large file be written in one streaming pass with its length and checksum,
/// instead of assembling it in memory first.
/// </summary>
public sealed class MeasuringStream(Stream? inner, bool hash) : Stream
{
    readonly IncrementalHash? sha256 = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    long written;

    /// <summary>The SHA-256 of everything written so far (the stream must have been created with hashing on).</summary>
    public byte[] Hash() => (sha256 ?? throw new InvalidOperationException("this stream does not hash")).GetCurrentHash();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        sha256?.AppendData(buffer);
        inner?.Write(buffer);
        written += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void WriteByte(byte value) => Write([value]);
    public override void Flush() => inner?.Flush();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => written;
    public override long Position { get => written; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) sha256?.Dispose();
        base.Dispose(disposing);
    }
}
