using System.Diagnostics;
using System.Text.Json;

namespace Seq2Seq.Tests.Serving;

/// <summary>A fact that is skipped, with the reason, when Chromium or playwright-core is not installed (.ci/run installs both).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (BrowserTests.MissingTool() is { } missing) Skip = missing;
    }
}

/// <summary>The web page of <c>s2s serve</c> in a real headless Chromium: type, click Translate, see n-best and heatmap.</summary>
public class BrowserTests(ServedModel served) : IClassFixture<ServedModel>
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>The repository's tests/browser folder (package.json, the node script and its node_modules).</summary>
    public static string ScriptDir => RepoPaths.Of("tests", "browser");

    public static string? MissingTool()
    {
        if (!File.Exists(Chromium)) return $"{Chromium} is not installed (Debian: apt-get install chromium); .ci/run installs it";
        if (!Directory.Exists(Path.Combine(ScriptDir, "node_modules", "playwright-core")))
            return $"playwright-core is not installed in {ScriptDir} (run npm ci there); .ci/run installs it";
        if (!File.Exists("/usr/bin/node")) return "node is not installed";
        return null;
    }

    [BrowserFact]
    public async Task ThePageTranslatesAndShowsTheAttentionHeatmap()
    {
        await using var server = await served.StartAsync();
        await server.Ready;
        string text = "苹果 " + served.Sources[0];     // a Chinese token (unknown to the model) must show as a column label
        string screenshot = RepoPaths.Of("artifacts", "browser", "serve-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        var psi = new ProcessStartInfo("node", ["translate-page.mjs", server.Addresses[0] + "/", text, screenshot, Chromium])
        {
            WorkingDirectory = ScriptDir, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var node = Process.Start(psi)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        Assert.True(node.WaitForExit(120_000), "the browser check did not finish in 2 minutes");
        Assert.True(node.ExitCode == 0, $"browser check failed: {await stderr}");

        var seen = JsonDocument.Parse((await stdout).Trim().Split('\n').Last()).RootElement;
        using var offline = Seq2SeqModel.Load(served.RunDir);
        var expected = offline.Translate(text, beam: 3, nbest: 3, attention: true);
        Assert.StartsWith("synthetic:", seen.GetProperty("model").GetString());
        Assert.Equal(expected.NBest.Select(c => c.Text), seen.GetProperty("hypotheses").EnumerateArray().Select(e => e.GetString()));
        Assert.True(seen.GetProperty("attentionVisible").GetBoolean());
        Assert.Equal(expected.SourceTokens, seen.GetProperty("sourceLabels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(expected.NBest[0].Tokens.Count + 1, seen.GetProperty("heatmapRows").GetInt32());
        // The hybrid model's gate beside each output row.
        var shown = seen.GetProperty("gates").EnumerateArray().Select(e => double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected.NBest[0].Gates!.Length, shown.Count);
        for (int t = 0; t < shown.Count; t++) Assert.Equal(expected.NBest[0].Gates![t], shown[t], 0.0051);
        Assert.True(File.Exists(screenshot) && new FileInfo(screenshot).Length > 10_000, "no screenshot was saved");
    }
}
