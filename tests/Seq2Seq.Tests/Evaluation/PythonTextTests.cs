using Seq2Seq.Text;

namespace Seq2Seq.Tests.Evaluation;

// Expected strings are what CPython 3 returns for str.lower() / str.split() / str.rstrip() (checked against the
// Unicode special-casing rules: U+0130 lowercases to "i" + U+0307; capital sigma is final sigma when preceded by a
// cased letter and not followed by one).
public class PythonTextTests
{
    [Theory]
    [InlineData("İ", "i\u0307")]
    [InlineData("ΟΔΟΣ", "οδος")]          // word-final Σ -> ς
    [InlineData("ΣΑ", "σα")]              // initial Σ -> σ
    [InlineData("Σ", "σ")]                // no cased letter before -> σ
    [InlineData("ΑΣ. ΒΣ", "ας. βς")]      // final before punctuation and at the end
    [InlineData("ΑΣ'Α", "ασ'α")]          // the apostrophe is case-ignorable, a cased letter follows -> σ
    [InlineData("HELLO", "hello")]
    public void Lower_matches_python(string input, string expected) => Assert.Equal(expected, PythonText.Lower(input));

    [Fact]
    public void Split_and_rstrip_use_python_whitespace()
    {
        // \x1c-\x1f, NBSP, U+3000 are whitespace for Python; U+200B is not.
        Assert.Equal(["a", "b", "c\u200Bd"], PythonText.Split("a\u001Cb\u00A0\u3000c\u200Bd "));
        Assert.Equal("x", PythonText.RStrip("x \t\r\u00A0\u001F"));
    }
}
