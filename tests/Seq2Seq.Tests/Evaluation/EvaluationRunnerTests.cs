using System.CommandLine;
using System.Text.Json;
using Seq2Seq.Cli.Commands;
using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// End-to-end checks of `s2s evaluate` through EvaluationRunner and the System.CommandLine command. The scores reuse
// the hand-worked cases of BleuTests (identical text = 100, brevity penalty case = 81.873).
public class EvaluationRunnerTests
{
    [Fact]
    public void Json_output_has_the_documented_keys()
    {
        using var files = new TempFiles();
        var hyp = files.Write("hyp.txt", "the cat sat on the mat\nthe cat sat on the\n");
        var refs = files.Write("ref.txt", "the cat sat on the mat\nthe cat sat on the mat\n");
        var json = EvaluationRunner.Run(new EvaluationOptions
        {
            Hypothesis = hyp,
            References = [refs],
            Metrics = ["bleu,chrf,chrf++,ter"],
            Sentence = true,
            Json = true,
        });
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        string[] keys = ["bleu", "precisions", "bp", "sys_len", "ref_len", "chrf", "chrf_plus_plus", "ter", "sentence_bleu", "signature"];
        Assert.Equal(keys.Order(), root.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(4, root.GetProperty("precisions").GetArrayLength());
        Assert.Equal(11, root.GetProperty("sys_len").GetInt32());
        Assert.Equal(12, root.GetProperty("ref_len").GetInt32());
        // Sentence BLEU per line: 100 (identical) and 81.873 (the brevity-penalty case).
        var sentences = root.GetProperty("sentence_bleu").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(2, sentences.Length);
        Assert.Equal(100.0, sentences[0], 9);
        Assert.Equal(81.87307530779819, sentences[1], 9);
        var signature = root.GetProperty("signature");
        Assert.Equal("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", signature.GetProperty("bleu").GetString());
        Assert.Equal("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0", signature.GetProperty("chrf").GetString());
        Assert.Equal("nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0", signature.GetProperty("chrf_plus_plus").GetString());
        Assert.Equal("nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0", signature.GetProperty("ter").GetString());
        Assert.Equal("nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0", signature.GetProperty("sentence_bleu").GetString());
    }

    [Fact]
    public void Text_output_shows_each_score_with_its_signature()
    {
        using var files = new TempFiles();
        var hyp = files.Write("hyp.txt", "the cat sat on the\n");
        var refs = files.Write("ref.txt", "the cat sat on the mat\n");
        var text = EvaluationRunner.Run(new EvaluationOptions { Hypothesis = hyp, References = [refs] });
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length); // default metrics: BLEU and chrF
        Assert.Equal(
            "BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 81.87 100.0/100.0/100.0/100.0 " +
            "(BP = 0.819 ratio = 0.833 hyp_len = 5 ref_len = 6)", lines[0]);
        Assert.StartsWith("chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = ", lines[1]);
    }

    [Fact]
    public void Pairs_report_each_bleu_and_the_mean()
    {
        // Pair 1 scores 100, pair 2 scores 81.873 (brevity penalty case): mean (100 + 81.873) / 2 = 90.937.
        using var files = new TempFiles();
        var h1 = files.Write("h1.txt", "the cat sat on the mat\n");
        var r1 = files.Write("r1.txt", "the cat sat on the mat\n");
        var h2 = files.Write("h2.txt", "the cat sat on the\n");
        var r2 = files.Write("r2.txt", "the cat sat on the mat\n");
        var options = new EvaluationOptions { Pairs = [$"{h1},{r1}", $"{h2},{r2}"], Metrics = ["bleu"] };
        var report = EvaluationRunner.Evaluate(options);
        Assert.Equal(90.9365376538991, report.Mean(EvaluationMetric.Bleu), 9);
        Assert.EndsWith("mean over 2 pairs: BLEU = 90.94\n", EvaluationRunner.Run(options));

        using var doc = JsonDocument.Parse(EvaluationRunner.Run(options with { Json = true }));
        Assert.Equal(2, doc.RootElement.GetProperty("pairs").GetArrayLength());
        Assert.Equal(90.9365376538991, doc.RootElement.GetProperty("mean").GetProperty("bleu").GetDouble(), 9);
    }

    [Fact]
    public void Wer_and_per_json_keys()
    {
        // "a" -> EY1 equals its 2nd pronunciation (distance 0, closest length 1); "an" -> "AE1 M" is 1 substitution
        // from "AE1 N" (length 2) and 2 from "AH0 N". WER = 1 wrong / 2 = 50; PER = (0 + 1) / (1 + 2) = 33.33.
        // The references carry stress digits, so the stressless rates come too (here the same: only M/N differs).
        using var files = new TempFiles();
        var hyp = files.Write("hyp.tsv", "a\tEY1\nan\tAE1 M\n");
        var refs = files.Write("ref.tsv", "a\tAH0\na\tEY1\nan\tAE1 N\nan\tAH0 N\n");
        var json = EvaluationRunner.Run(new EvaluationOptions
        {
            Hypothesis = hyp, References = [refs], Metrics = ["wer,per"], Json = true,
        });
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(["per", "per_no_stress", "wer", "wer_no_stress"], doc.RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(50.0, doc.RootElement.GetProperty("wer").GetDouble(), 10);
        Assert.Equal(100.0 / 3, doc.RootElement.GetProperty("per").GetDouble(), 10);
        Assert.Equal(50.0, doc.RootElement.GetProperty("wer_no_stress").GetDouble(), 10);
        Assert.Equal(100.0 / 3, doc.RootElement.GetProperty("per_no_stress").GetDouble(), 10);
    }

    [Fact]
    public void Unknown_metric_is_an_input_error() =>
        Assert.Throws<EvaluationInputException>(() => EvaluationRunner.Run(new EvaluationOptions
        {
            Hypothesis = "h", References = ["r"], Metrics = ["bleu,meteor"],
        }));

    [Fact]
    public void Command_prints_scores_and_returns_zero()
    {
        using var files = new TempFiles();
        var hyp = files.Write("hyp.txt", "a b c d\n");
        var refs = files.Write("ref.txt", "a b c d\n");
        var (code, output, error) = Invoke(["--hyp", hyp, "--ref", refs, "--metrics", "bleu", "--json"]);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(100.0, doc.RootElement.GetProperty("bleu").GetDouble(), 10);
    }

    [Fact]
    public void Command_reports_input_errors_with_exit_code_2()
    {
        // Two hypothesis lines, three reference lines: "error: ..." on stderr naming both files, exit code 2.
        using var files = new TempFiles();
        var hyp = files.Write("hyp.txt", "a\nb\n");
        var refs = files.Write("ref.txt", "a\nb\nc\n");
        var (code, output, error) = Invoke(["--hyp", hyp, "--ref", refs]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: ", error);
        Assert.Contains(hyp, error);
        Assert.Contains(refs, error);
    }

    [Fact]
    public void Command_accepts_repeated_references()
    {
        // Same case as BleuTests.Multiple_references_clip_by_the_maximum_count: 39.76 with both references.
        using var files = new TempFiles();
        var hyp = files.Write("hyp.txt", "the cat is on the mat\n");
        var r1 = files.Write("r1.txt", "the cat sat on the mat\n");
        var r2 = files.Write("r2.txt", "there is a cat on the mat\n");
        var (code, output, _) = Invoke(["--hyp", hyp, "--ref", r1, "--ref", r2, "--metrics", "bleu"]);
        Assert.Equal(0, code);
        Assert.StartsWith("BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = 39.76 ", output);
    }

    static (int Code, string Output, string Error) Invoke(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = EvaluateCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
