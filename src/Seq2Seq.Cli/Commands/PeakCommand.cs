using System.CommandLine;
using System.Globalization;
using Seq2Seq.Onnx;
using TorchSharp;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>s2s peak [--threads N]</c>: this machine's practical matrix-multiply peaks on N threads — libtorch's fp32
/// <c>mm</c> (the training and TorchSharp-decoding yardstick), ONNX Runtime's fp32 <c>MatMul</c> and int8
/// <c>MatMulInteger</c> (the ONNX backend's) — so that a measured rate can be given as a fraction of them.
/// </summary>
public static class PeakCommand
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "Threads for each library", DefaultValueFactory = _ => 2 };
        var size = new Option<int>("--size") { Description = "Side of the square matrices", DefaultValueFactory = _ => 1024 };
        var command = new Command("peak", "Measure the fp32 and int8 matrix-multiply peaks (libtorch, ONNX Runtime)") { threads, size };
        command.SetAction(parse =>
        {
            int t = parse.GetValue(threads), n = parse.GetValue(size);
            if (t < 1) throw new ArgumentException("--threads must be at least 1");
            if (n < 64) throw new ArgumentException("--size must be at least 64");
            torch.set_num_threads(t);
            double mm = ProfileCommand.MatmulGflops(n);
            var (fp32, int8) = OnnxGemmPeak.Measure(t, n);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{n}×{n} products, {t} threads: libtorch fp32 mm {mm:F1} GFLOP/s; ONNX Runtime fp32 MatMul {fp32:F1} GFLOP/s, int8 MatMulInteger {int8:F1} GOP/s"));
            return CliErrors.Ok;
        });
        return command;
    }
}
