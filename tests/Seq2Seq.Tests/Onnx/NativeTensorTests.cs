using Seq2Seq.Onnx;

namespace Seq2Seq.Tests.Onnx;

public class NativeTensorTests
{
    [Fact]
    public void Selected_rows_are_copied_in_order_with_repeats()
    {
        using var rows = new OnnxRows(new Dictionary<string, NativeTensor>
        {
            ["f"] = NativeTensor.Of([0f, 1, 2, 10, 11, 12, 20, 21, 22], 3, 3),
            ["l"] = NativeTensor.Of([5L, 6, 7], 3),
        });
        using var s = rows.SelectRows([2, 0, 2]);
        Assert.Equal([3L, 3], s.Tensors["f"].Shape);
        Assert.Equal([20f, 21, 22, 0, 1, 2, 20, 21, 22], s.Tensors["f"].Span<float>().ToArray());
        Assert.Equal([7L, 5, 7], s.Tensors["l"].Span<long>().ToArray());
    }

    [Fact]
    public void A_shared_tensor_lives_until_its_last_holder_disposes_it()
    {
        var t = NativeTensor.Of([1f, 2], 2);
        var share = t.Share();
        t.Dispose();
        Assert.Equal([1f, 2], share.Span<float>().ToArray());
        share.Dispose();
        Assert.Throws<ObjectDisposedException>(() => t.Span<float>().ToArray());
        Assert.Throws<ObjectDisposedException>(() => t.Share());
    }
}
