using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Seq2Seq.Onnx;

/// <summary>
/// The machine's practical matrix-multiply peaks under ONNX Runtime's CPU kernels (MLAS), the yardstick for the ONNX
/// decoding backend: fp32 <c>MatMul</c> and int8 <c>MatMulInteger</c> (uint8 activations × int8 weights, int32
/// sums, the pair the int8 export uses) of one square product, on the given threads. One multiply-add counts as two
/// operations for both, so int8 GOP/s and fp32 GFLOP/s compare directly.
/// </summary>
public static class OnnxGemmPeak
{
    /// <summary>Operations per second (×1e9) of an n×n by n×n product: fp32 MatMul and int8 MatMulInteger.</summary>
    public static (double Fp32, double Int8) Measure(int threads, int n = 1024, int repeats = 10)
    {
        var random = new Random(1);
        var weights = Enumerable.Range(0, n * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var weights8 = Enumerable.Range(0, n * n).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();

        var fp32 = new OnnxGraph("matmul_fp32");
        string a = fp32.Input("a", OnnxType.Float, n, n);
        fp32.Output(fp32.Op("MatMul", [a, fp32.Initializer("w", weights, [n, n])]), "y", OnnxType.Float, n, n);
        var int8 = new OnnxGraph("matmul_int8");
        string q = int8.Input("a", OnnxType.UInt8, n, n);
        int8.Output(int8.Op("MatMulInteger", [q, int8.Initializer("w", weights8, [n, n])]), "y", OnnxType.Int32, n, n);

        var input = new DenseTensor<float>(Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble()).ToArray(), [n, n]);
        var input8 = new DenseTensor<byte>(Enumerable.Range(0, n * n).Select(_ => (byte)random.Next(256)).ToArray(), [n, n]);
        double ops = 2.0 * n * n * n;
        return (Rate(fp32.ToBytes("peak"), NamedOnnxValue.CreateFromTensor("a", input), threads, ops, repeats),
                Rate(int8.ToBytes("peak"), NamedOnnxValue.CreateFromTensor("a", input8), threads, ops, repeats));
    }

    static double Rate(byte[] model, NamedOnnxValue input, int threads, double ops, int repeats)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        for (int i = 0; i < 2; i++) session.Run([input]).Dispose();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) session.Run([input]).Dispose();
        return ops * repeats / clock.Elapsed.TotalSeconds / 1e9;
    }
}
