using static TorchSharp.torch;

namespace Seq2Seq.Tests;

/// <summary>Proves the build output can load libtorch on this machine (see Directory.Build.targets).</summary>
public class NativeLoadTests
{
    [Fact]
    public void LibTorchLoadsAndComputes()
    {
        using var a = ones(2, 3);
        using var b = a.sum();
        Assert.Equal(6f, b.item<float>());
    }
}
