using System.Text.Json;
using Seq2Seq.IO;

namespace Seq2Seq.Decoding;

/// <summary>
/// Writes the attention of a translation: a JSON matrix (output tokens × source tokens) and a PNG heatmap with the
/// source tokens along the bottom and the output tokens down the side. Chinese and other CJK labels need a font that
/// has them: the Debian package <c>fonts-wqy-microhei</c> is registered automatically when installed, or set
/// <see cref="FontFile"/> to any TrueType/OpenType file.
/// </summary>
public static class AttentionHeatmap
{
    /// <summary>Font files tried in order for the labels (the first that exists is used).</summary>
    public static List<string> FontFile { get; } =
    [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ];

    /// <summary>The JSON form: source and output tokens and the weights (one row per output token, incl. &lt;/s&gt;);
    /// for hybrid attention also the gate per output token (1 = global, 0 = local; null for other models).</summary>
    public static string ToJson(Translation translation, int candidate = 0)
    {
        var c = translation.NBest[candidate];
        return JsonSerializer.Serialize(new
        {
            source = translation.Source,
            source_tokens = translation.SourceTokens,
            output = c.Text,
            output_tokens = c.Tokens.Append("</s>").ToList(),
            log_prob = c.LogProb,
            weights = c.Attention ?? [],
            gates = c.Gates,
        }, new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>Writes <c>{stem}.json</c> and <c>{stem}.png</c> into <paramref name="directory"/>.</summary>
    public static void Write(Translation translation, string directory, string stem)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, stem + ".json"), ToJson(translation));
        var c = translation.NBest[0];
        if (c.Attention is null || c.Attention.Length == 0) return;
        var outputs = c.Tokens.Append("</s>").Take(c.Attention.Length).ToArray();
        // A hybrid model's gate goes beside each output token: g 1.00 = looked globally, g 0.00 = locally.
        if (c.Gates is not null)
            outputs = outputs.Select((o, t) => t < c.Gates.Length ? $"{o}  g {c.Gates[t]:0.00}" : o).ToArray();
        var sources = translation.SourceTokens.ToArray();
        var data = new double[outputs.Length, sources.Length];
        for (int t = 0; t < outputs.Length; t++)
            for (int s = 0; s < sources.Length && s < c.Attention[t].Length; s++)
                data[t, s] = c.Attention[t][s];
        byte[] png = Render(data, sources, outputs);
        AtomicFile.Write(Path.Combine(directory, stem + ".png"), fs => fs.Write(png));
    }

    /// <summary>Renders weights [outputs, sources] as a PNG.</summary>
    public static byte[] Render(double[,] weights, IReadOnlyList<string> sourceTokens, IReadOnlyList<string> outputTokens)
    {
        string? font = RegisterFont();
        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(weights);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // Cell (t, s) is drawn at x = s, y = t; the output tokens read top to bottom. ScottPlot puts the array's first
        // row at the extent's larger y, which this inverted axis shows at the bottom, hence the flip (without it the
        // rows were drawn upside down under their labels).
        heatmap.Extent = new ScottPlot.CoordinateRect(-0.5, sourceTokens.Count - 0.5, outputTokens.Count - 0.5, -0.5);
        heatmap.FlipVertically = true;
        plot.Add.ColorBar(heatmap);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, sourceTokens.Count).Select(i => (double)i).ToArray(), sourceTokens.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, outputTokens.Count).Select(i => (double)i).ToArray(), outputTokens.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -60;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleRight;
        plot.Axes.SetLimits(-0.5, sourceTokens.Count - 0.5, outputTokens.Count - 0.5, -0.5);
        plot.XLabel("source");
        plot.YLabel("output");
        if (font is not null) plot.Font.Set(font);
        int width = Math.Clamp(160 + 28 * sourceTokens.Count, 400, 2400);
        int height = Math.Clamp(160 + 24 * outputTokens.Count, 300, 2400);
        return plot.GetImage(width, height).GetImageBytes(ScottPlot.ImageFormat.Png);
    }

    static string? registered;

    static string? RegisterFont()
    {
        if (registered is not null) return registered;
        var file = FontFile.FirstOrDefault(File.Exists);
        if (file is null) return null;
        ScottPlot.Fonts.AddFontFile("s2s-cjk", file);
        return registered = "s2s-cjk";
    }
}
