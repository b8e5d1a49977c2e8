using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Seq2Seq.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>
/// A checkpoint file: magic, format version, payload (progress JSON, model weights, optional optimiser state,
/// torch RNG state) and the payload's SHA-256. Written atomically; a truncated or altered file fails to load
/// with a message saying so.
/// </summary>
public static class Checkpoint
{
    const string Magic = "S2SCKPT\n";
    /// <summary>Format version written in each file; loading refuses other versions.</summary>
    public const int FormatVersion = 1;

    internal static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>Writes model (and, when given, optimiser and RNG) state with <paramref name="progress"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, nn.Module model, OptimizerHelper? optimizer, TrainingProgress progress)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(JsonSerializer.Serialize(progress, Json));
            WriteSection(w, s => model.save(s));
            WriteSection(w, optimizer is null ? null : optimizer.save_state_dict);
            WriteSection(w, optimizer is null ? null : WriteRngState);
        }
        byte[] bytes = payload.ToArray();
        byte[] hash = SHA256.HashData(bytes);
        AtomicFile.Write(path, fs =>
        {
            using var w = new BinaryWriter(fs, Encoding.UTF8, leaveOpen: true);
            w.Write(Encoding.ASCII.GetBytes(Magic));
            w.Write(FormatVersion);
            w.Write((long)bytes.Length);
            w.Write(bytes);
            w.Write(hash);
        });
    }

    /// <summary>Loads a checkpoint into <paramref name="model"/> (and the optimiser and RNG when given); returns its progress.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or of another format version, or its
    /// optimiser state does not fit <paramref name="optimizer"/>.</exception>
    public static TrainingProgress Load(string path, nn.Module model, OptimizerHelper? optimizer = null)
    {
        byte[] payload = ReadVerified(path);
        using var r = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var progress = JsonSerializer.Deserialize<TrainingProgress>(r.ReadString(), Json)
                       ?? throw new InvalidDataException($"{path}: empty progress record");
        using (var weights = new BinaryReader(new MemoryStream(ReadSection(r))))
            model.load(weights);
        byte[] opt = ReadSection(r);
        byte[] rng = ReadSection(r);
        if (optimizer is not null && opt.Length > 0)
        {
            using var optReader = new BinaryReader(new MemoryStream(opt));
            try { optimizer.load_state_dict(optReader); }
            catch (ArgumentException e)
            {
                // TorchSharp says only "different number of states"; the likely cause is the tied-weights fix.
                throw new InvalidDataException($"{path}: the optimiser state does not fit this model ({e.Message}); " +
                    "checkpoints of RNN models with model.tie_target_embeddings: true written before the tied matrix " +
                    "was registered once hold its optimiser state twice and cannot be resumed (their weights still " +
                    "load for translation, evaluation and export)", e);
            }
        }
        if (optimizer is not null && rng.Length > 0)
        {
            using var state = torch.tensor(rng, dtype: ScalarType.Byte);
            torch.random.set_rng_state(state);
        }
        return progress;
    }

    /// <summary>Reads only the progress record (after verifying the checksum).</summary>
    public static TrainingProgress ReadProgress(string path)
    {
        using var r = new BinaryReader(new MemoryStream(ReadVerified(path)), Encoding.UTF8);
        return JsonSerializer.Deserialize<TrainingProgress>(r.ReadString(), Json)!;
    }

    /// <summary>The first of <paramref name="paths"/> that is a whole, uncorrupted checkpoint; each one passed over is
    /// reported through <paramref name="warn"/>. Null when none is.</summary>
    public static string? FirstIntact(IEnumerable<string> paths, Action<string> warn)
    {
        foreach (var path in paths)
        {
            try
            {
                ReadVerified(path);
                return path;
            }
            catch (InvalidDataException e) { warn($"{e.Message}; trying the previous checkpoint"); }
        }
        return null;
    }

    static byte[] ReadVerified(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int header = Magic.Length + 4 + 8;
        if (file.Length < header + 32 || Encoding.ASCII.GetString(file, 0, Magic.Length) != Magic)
            throw new InvalidDataException($"{path}: not a Seq2Seq.NET checkpoint (or truncated)");
        int version = BitConverter.ToInt32(file, Magic.Length);
        if (version != FormatVersion)
            throw new InvalidDataException($"{path}: checkpoint format version {version}; this build reads version {FormatVersion}");
        long length = BitConverter.ToInt64(file, Magic.Length + 4);
        if (length < 0 || header + length + 32 != file.Length)
            throw new InvalidDataException($"{path}: truncated checkpoint ({file.Length} bytes, expected {header + length + 32})");
        var payload = file.AsSpan(header, (int)length);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(file.AsSpan(header + (int)length, 32)))
            throw new InvalidDataException($"{path}: checksum mismatch: the checkpoint is corrupt");
        return payload.ToArray();
    }

    static void WriteRngState(BinaryWriter w)
    {
        using var state = torch.random.get_rng_state();
        w.Write(state.data<byte>().ToArray());
    }

    static void WriteSection(BinaryWriter w, Action<BinaryWriter>? write)
    {
        if (write is null) { w.Write(0L); return; }
        using var ms = new MemoryStream();
        using (var inner = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) write(inner);
        w.Write(ms.Length);
        w.Write(ms.GetBuffer(), 0, (int)ms.Length);
    }

    static byte[] ReadSection(BinaryReader r)
    {
        long n = r.ReadInt64();
        return r.ReadBytes((int)n);
    }
}
