using System.CommandLine;
using System.Runtime.CompilerServices;
using Seq2Seq.Configuration;
using Seq2Seq.Onnx;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// The <c>--backend</c> option of translate, score and serve and the one place a command's model is loaded:
/// <c>torch</c> (a run directory, or several as an ensemble) or <c>onnx</c> (an export folder). The ONNX path calls
/// nothing that touches a TorchSharp type, so libtorch is not loaded.
/// </summary>
public static class ModelLoading
{
    public static Option<string> BackendOption() => new("--backend")
    {
        Description = $"What runs the model: {Backends.Torch} (a run directory, TorchSharp) or {Backends.Onnx} (a folder from `s2s export --format onnx`, ONNX Runtime on the CPU, no libtorch)",
        DefaultValueFactory = _ => Backends.Torch,
    };

    public static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "Threads: libtorch's, or ONNX Runtime's intra-op threads with --backend onnx (default: the config's training.threads)",
    };

    /// <param name="models">--model: one folder, or several run directories (torch only) for an ensemble.</param>
    /// <param name="checkpoint">--checkpoint (torch only).</param>
    /// <exception cref="ArgumentException">An option that the backend cannot honour.</exception>
    public static TranslationModel Load(string backend, IReadOnlyList<string> models, string? checkpoint, int threads, Action<string> warn, string device)
    {
        Check(backend, models.Count, checkpoint, device);
        return backend == Backends.Onnx ? LoadOnnx(models[0], threads) : LoadTorch(models, checkpoint, threads, warn, device);
    }

    /// <summary>Refuses the options <paramref name="backend"/> cannot honour (before anything is loaded).</summary>
    /// <exception cref="ArgumentException">The message names the option and what to do instead.</exception>
    public static void Check(string backend, int models, string? checkpoint, string device)
    {
        if (!Backends.All.Contains(backend)) throw new ArgumentException($"--backend must be one of {string.Join(", ", Backends.All)}, not '{backend}'");
        if (backend != Backends.Onnx) return;
        if (models > 1)
            throw new ArgumentException("--backend onnx decodes one exported model; ensembles of several --model need --backend torch");
        if (checkpoint is not null)
            throw new ArgumentException("--checkpoint does not apply to --backend onnx: an export folder holds the one checkpoint it was exported from " +
                "(export another with `s2s export --checkpoint FILE --format onnx`)");
        if (device != DeviceNames.Cpu)
            throw new ArgumentException($"--device {device} does not apply to --backend onnx: it runs on ONNX Runtime's CPU provider; use --backend torch for CUDA");
    }

    // Separate methods, so that compiling the ONNX path does not compile the TorchSharp one.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static TranslationModel LoadOnnx(string folder, int threads) => OnnxModel.Load(folder, threads);

    [MethodImpl(MethodImplOptions.NoInlining)]
    static TranslationModel LoadTorch(IReadOnlyList<string> runDirs, string? checkpoint, int threads, Action<string> warn, string device)
    {
        if (runDirs.Count == 1) return Seq2SeqModel.Load(runDirs[0], checkpoint, threads, warn, device);
        if (checkpoint is not null) throw new ArgumentException("--checkpoint names one model's checkpoint; it cannot be used with several --model");
        return Seq2SeqModel.LoadEnsemble(runDirs, threads, warn, device);
    }
}
