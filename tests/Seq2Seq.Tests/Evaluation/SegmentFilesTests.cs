using Seq2Seq.Evaluation;
using Seq2Seq.Text;

namespace Seq2Seq.Tests.Evaluation;

// sacreBLEU's command line reads UTF-8 text split on "\n", right-strips every line (Python rstrip) and keeps
// empty lines as segments; the expectations below follow that rule line by line.
public class SegmentFilesTests
{
    [Fact]
    public void Lines_are_rstripped_and_empty_lines_kept()
    {
        using var files = new TempFiles();
        // "a  \r\n" -> "a"; "\n" -> "" (an empty segment); "b" without a final newline -> "b".
        var path = files.Write("h.txt", "a  \r\n\nb");
        Assert.Equal(["a", "", "b"], SegmentFiles.Read(path));
        // A final newline does not start another segment; leading spaces stay.
        Assert.Equal(["  x"], SegmentFiles.Read(files.Write("x.txt", "  x\n")));
        Assert.Empty(SegmentFiles.Read(files.Write("empty.txt", "")));
    }

    [Fact]
    public void Line_count_mismatch_names_both_files_and_counts()
    {
        using var files = new TempFiles();
        var hyp = files.Write("hyp.txt", "a\nb\n");
        var good = files.Write("ref1.txt", "a\nb\n");
        var bad = files.Write("ref2.txt", "a\nb\nc\n");
        var e = Assert.Throws<EvaluationInputException>(() => SegmentFiles.ReadAligned(hyp, [good, bad]));
        Assert.Contains(hyp, e.Message);
        Assert.Contains(bad, e.Message);
        Assert.Contains("2 lines", e.Message);
        Assert.Contains("3 lines", e.Message);
    }

    [Fact]
    public void Invalid_utf8_names_the_file_and_line()
    {
        using var files = new TempFiles();
        var path = files.WriteBytes("bad.txt", [(byte)'o', (byte)'k', (byte)'\n', 0xC3, 0x28, (byte)'\n']);
        var e = Assert.Throws<EvaluationInputException>(() => SegmentFiles.Read(path));
        Assert.Contains(path + ":2", e.Message);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void Missing_file_is_an_input_error()
    {
        var e = Assert.Throws<EvaluationInputException>(() => SegmentFiles.Read("/nonexistent/hyp.txt"));
        Assert.Contains("/nonexistent/hyp.txt", e.Message);
    }

    [Theory]
    // Python's f"{x:.2f}" rounds the exact binary value half to even: 0.125 -> 0.12, 0.375 -> 0.38,
    // 2.675 (stored as 2.67499999...) -> 2.67.
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.375, 2, "0.38")]
    [InlineData(2.675, 2, "2.67")]
    [InlineData(100.0, 2, "100.00")]
    [InlineData(0.8187307530779819, 3, "0.819")]
    [InlineData(66.66666666666667, 1, "66.7")]
    public void Scores_are_formatted_as_python_does(double value, int digits, string expected) =>
        Assert.Equal(expected, PythonFloatFormat.Fixed(value, digits));
}
