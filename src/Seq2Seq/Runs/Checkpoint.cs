using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Seq2Seq.IO;
using Seq2Seq.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Runs;

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
    /// <remarks>The file is streamed: a first pass only measures each section, so the lengths can go in front of the
    /// data, and the second writes it through a SHA-256, so no copy of the model or optimiser state is held in memory
    /// (docs/performance.md, "Memory").</remarks>
    /// <param name="ema">Averaged weights to keep beside the raw ones (a fourth section, so that resuming continues the average).</param>
    public static void Save(string path, nn.Module model, OptimizerHelper? optimizer, TrainingProgress progress, ExponentialMovingAverage? ema = null)
    {
        string json = JsonSerializer.Serialize(progress, Json);
        Action<BinaryWriter>?[] sections =
            [w => model.save(w), optimizer is null ? null : optimizer.save_state_dict, optimizer is null ? null : WriteRngState];
        if (ema is not null) sections = [.. sections, w => ema.Save(model, w)];
        long[] lengths = sections.Select(s => s is null ? 0 : Measure(s)).ToArray();
        long payloadLength = Measure(w => w.Write(json)) + lengths.Sum(n => 8 + n);
        AtomicFile.Write(path, fs =>
        {
            using var w = new BinaryWriter(fs, Encoding.UTF8, leaveOpen: true);
            w.Write(Encoding.ASCII.GetBytes(Magic));
            w.Write(FormatVersion);
            w.Write(payloadLength);
            w.Flush();
            using var payload = new MeasuringStream(fs, hash: true);
            using (var p = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
            {
                p.Write(json);
                for (int i = 0; i < sections.Length; i++)
                {
                    p.Write(lengths[i]);
                    long before = payload.Length;
                    sections[i]?.Invoke(p);
                    p.Flush();
                    if (payload.Length - before != lengths[i])
                        throw new InvalidOperationException($"{path}: checkpoint section {i} wrote {payload.Length - before} bytes, " +
                            $"{lengths[i]} when measured");
                }
            }
            w.Write(payload.Hash());
        });
        if (optimizer is not null) ReseedDeviceRng(model);
    }

    /// <summary>Loads a checkpoint into <paramref name="model"/> (and the optimiser and RNG when given); returns its progress.
    /// The file holds CPU tensors; each is read into host memory and copied into the model's parameter, wherever that
    /// lives (TorchSharp's <c>Module.load</c>), so the model may already be on its device.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or of another format version, or its
    /// optimiser state does not fit <paramref name="optimizer"/>.</exception>
    /// <param name="ema">Receives the averaged weights; a checkpoint without them (written with the average off)
    /// restarts the average from the loaded weights.</param>
    public static TrainingProgress Load(string path, nn.Module model, OptimizerHelper? optimizer = null, ExponentialMovingAverage? ema = null)
    {
        using var file = OpenVerified(path);
        using var r = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
        var progress = JsonSerializer.Deserialize<TrainingProgress>(r.ReadString(), Json)
                       ?? throw new InvalidDataException($"{path}: empty progress record");
        ReadSection(r, (reader, _) => ReadWeights(path, reader, model));
        ReadSection(r, optimizer is null ? null : (reader, length) =>
        {
            if (length == 0) return;
            try { optimizer.load_state_dict(reader); }
            catch (ArgumentException e)
            {
                // TorchSharp says only "different number of states"; the likely cause is the tied-weights fix.
                throw new InvalidDataException($"{path}: the optimiser state does not fit this model ({e.Message}); " +
                    "checkpoints of RNN models with model.tie_target_embeddings: true written before the tied matrix " +
                    "was registered once hold its optimiser state twice and cannot be resumed (their weights still " +
                    "load for translation, evaluation and export)", e);
            }
        });
        ReadSection(r, optimizer is null ? null : (reader, length) =>
        {
            if (length == 0) return;
            using var state = torch.tensor(reader.ReadBytes((int)length), dtype: ScalarType.Byte);   // the CPU generator's state
            torch.random.set_rng_state(state);
            ReseedDeviceRng(model);
        });
        if (ema is not null)
        {
            if (file.Position < file.Length - 32) ReadSection(r, (reader, _) => ema.Load(model, reader));
            else ema.Reset();
        }
        return progress;
    }

    /// <summary>Loads only the weights into <paramref name="model"/>: what inference needs. The progress record,
    /// optimiser and RNG state are skipped unread.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or of another format version, or its
    /// weights do not fit <paramref name="model"/>.</exception>
    public static void LoadWeights(string path, nn.Module model)
    {
        using var file = OpenVerified(path);
        using var r = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
        r.ReadString();   // the progress record
        ReadSection(r, (reader, _) => ReadWeights(path, reader, model));
    }

    /// <summary>Loads the weights section, naming the parameters that differ when the file was written by a model of
    /// another shape (TorchSharp itself only reports the two counts).</summary>
    static void ReadWeights(string path, BinaryReader reader, nn.Module model)
    {
        var expected = model.state_dict().Keys.ToHashSet();
        var found = new Dictionary<string, bool>();
        try { model.load(reader, strict: false, loadedParameters: found); }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: the weights do not fit this model's configuration ({e.Message})", e);
        }
        var missing = expected.Where(k => !found.GetValueOrDefault(k)).ToList();
        var unexpected = found.Where(kv => !kv.Value).Select(kv => kv.Key).ToList();
        if (missing.Count == 0 && unexpected.Count == 0) return;
        static string List(List<string> names) => string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
        throw new InvalidDataException($"{path}: the weights do not fit this model's configuration" +
            (missing.Count > 0 ? $"; the file lacks {List(missing)}" : "") +
            (unexpected.Count > 0 ? $"; the model has no {List(unexpected)}" : "") +
            ". It was written by a model of another shape: check the run's config.yaml, or whether it predates a change to" +
            " the model's parameters listed in CHANGELOG.md (\"Checkpoint compatibility\")");
    }

    /// <summary>Reads only the progress record (after verifying the checksum).</summary>
    public static TrainingProgress ReadProgress(string path)
    {
        using var file = OpenVerified(path);
        using var r = new BinaryReader(file, Encoding.UTF8);
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
                OpenVerified(path).Dispose();
                return path;
            }
            catch (InvalidDataException e) { warn($"{e.Message}; trying the previous checkpoint"); }
        }
        return null;
    }

    /// <summary>Opens <paramref name="path"/>, checks header, length and checksum (reading it once, in chunks), and
    /// returns it positioned at the start of the payload.</summary>
    static FileStream OpenVerified(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            int header = Magic.Length + 4 + 8;
            var head = new byte[header];
            if (file.Length < header + 32 || file.ReadAtLeast(head, header, throwOnEndOfStream: false) < header
                || Encoding.ASCII.GetString(head, 0, Magic.Length) != Magic)
                throw new InvalidDataException($"{path}: not a Seq2Seq.NET checkpoint (or truncated)");
            int version = BitConverter.ToInt32(head, Magic.Length);
            if (version != FormatVersion)
                throw new InvalidDataException($"{path}: checkpoint format version {version}; this build reads version {FormatVersion}");
            long length = BitConverter.ToInt64(head, Magic.Length + 4);
            if (length < 0 || header + length + 32 != file.Length)
                throw new InvalidDataException($"{path}: truncated checkpoint ({file.Length} bytes, expected {header + length + 32})");
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 20];
            for (long left = length; left > 0;)
            {
                int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0) throw new InvalidDataException($"{path}: truncated checkpoint");
                sha256.AppendData(buffer, 0, n);
                left -= n;
            }
            var stored = new byte[32];
            file.ReadExactly(stored);
            if (!sha256.GetCurrentHash().AsSpan().SequenceEqual(stored))
                throw new InvalidDataException($"{path}: checksum mismatch: the checkpoint is corrupt");
            file.Position = header;
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For a model on a GPU, seeds the CUDA generators (dropout there draws from them) from the CPU generator's state.
    /// TorchSharp exposes no way to read or set a CUDA generator's state, so a training checkpoint does this when it
    /// is written and when it is loaded: the run that goes on and a run resumed from the file then continue with the
    /// same device random stream, as they do with the CPU one that the file stores. Nothing happens on the CPU.
    /// </summary>
    static void ReseedDeviceRng(nn.Module model)
    {
        if (!model.parameters().Any(p => p.device.type == DeviceType.CUDA)) return;
        using var state = torch.random.get_rng_state();
        byte[] hash = SHA256.HashData(state.data<byte>().ToArray());
        torch.cuda.manual_seed_all(BitConverter.ToInt64(hash, 0) & long.MaxValue);
    }

    static void WriteRngState(BinaryWriter w)
    {
        using var state = torch.random.get_rng_state();
        w.Write(state.data<byte>().ToArray());
    }

    /// <summary>The number of bytes <paramref name="write"/> produces (written nowhere).</summary>
    static long Measure(Action<BinaryWriter> write)
    {
        using var counter = new MeasuringStream(null, hash: false);
        using (var w = new BinaryWriter(counter, Encoding.UTF8, leaveOpen: true)) write(w);
        return counter.Length;
    }

    /// <summary>Reads one length-prefixed section with <paramref name="read"/> (given the reader and the length), or
    /// skips it when <paramref name="read"/> is null; either way the reader ends up just after it.</summary>
    static void ReadSection(BinaryReader r, Action<BinaryReader, long>? read)
    {
        long length = r.ReadInt64();
        long start = r.BaseStream.Position;
        read?.Invoke(r, length);
        r.BaseStream.Position = start + length;
    }
}
