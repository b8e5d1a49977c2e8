using Microsoft.ML.OnnxRuntime;
using Seq2Seq.Onnx;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Onnx;

/// <summary>ONNX Runtime's native library loads in the same process as libtorch and runs a graph built here.</summary>
public sealed class OnnxRuntimeLoadTests
{
    [Fact]
    public void Runtime_loads_beside_libtorch_and_runs_a_built_graph()
    {
        using var t = ones(2, 3);                                                // libtorch is loaded
        Assert.Equal("1.32.0", OrtEnv.Instance().GetVersionString());
        Assert.Contains("CPUExecutionProvider", OrtEnv.Instance().GetAvailableProviders());

        // y = x · W + 1 with a named dynamic batch axis.
        var g = new OnnxGraph("check");
        var x = g.Input("x", OnnxType.Float, "batch", 3);
        var w = g.Initializer("w", new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]);
        g.Output(g.Op("Add", [g.Op("MatMul", [x, w]), g.Scalar(1)]), "y", OnnxType.Float, "batch", 2);
        using var session = new InferenceSession(g.ToBytes("test"));
        using var input = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 0, 0, 0, 1, 1 }, [2, 3]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["x"], [input], ["y"]);
        Assert.Equal(new float[] { 2, 3, 9, 11 }, results[0].GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal("batch", session.InputMetadata["x"].SymbolicDimensions[0]);
    }
}
