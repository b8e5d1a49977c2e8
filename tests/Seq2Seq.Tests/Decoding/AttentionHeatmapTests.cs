using Seq2Seq.Decoding;
using SkiaSharp;

namespace Seq2Seq.Tests.Decoding;

public class AttentionHeatmapTests
{
    [Theory]
    [InlineData(0)]   // the first output token's row must be drawn at the top, beside its label
    [InlineData(2)]   // the last one's at the bottom
    public void EachOutputRowIsDrawnBesideItsLabel(int row)
    {
        var weights = new double[3, 3];
        weights[row, 0] = 1;   // one bright (yellow) cell: output `row`, first source token
        byte[] png = AttentionHeatmap.Render(weights, ["a", "b", "c"], ["X", "Y", "Z"]);
        using var bitmap = SKBitmap.Decode(png);

        // Yellow pixels left of the colour bar (which has yellow at its top): the cell.
        var ys = new List<int>();
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width * 6 / 10; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red > 200 && c.Green > 200 && c.Blue < 100) ys.Add(y);
            }
        Assert.NotEmpty(ys);
        double centre = ys.Average() / bitmap.Height;   // 0 = top of the image, 1 = bottom
        if (row == 0) Assert.True(centre < 0.45, $"row 0 drawn at {centre:F2} of the height (expected the top)");
        else Assert.True(centre > 0.55, $"row 2 drawn at {centre:F2} of the height (expected the bottom)");
    }
}
