namespace Seq2Seq.Reporting;

/// <summary>Line charts for reports (ScottPlot, PNG).</summary>
public static class Plots
{
    /// <summary>Draws the series as lines with markers against step and saves a PNG; returns <paramref name="path"/>.</summary>
    public static string Lines(string path, string title, string xLabel, string yLabel, IReadOnlyList<TrainingCurves.Series> series)
    {
        var plot = new ScottPlot.Plot();
        bool legend = series.Count(s => s.X.Length > 0) > 1;   // one line: the title says what it is
        foreach (var s in series.Where(s => s.X.Length > 0))
        {
            var line = plot.Add.Scatter(s.X, s.Values);
            if (legend) line.LegendText = s.Name;
            line.MarkerSize = s.X.Length > 60 ? 0 : 5;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (legend) plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        else plot.HideLegend();
        byte[] png = plot.GetImage(800, 420).GetImageBytes(ScottPlot.ImageFormat.Png);
        IO.AtomicFile.Write(path, fs => fs.Write(png));
        return path;
    }
}
