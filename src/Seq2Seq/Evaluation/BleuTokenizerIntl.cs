using System.Globalization;
using Seq2Seq.Text;

namespace Seq2Seq.Evaluation;

/// <summary>
/// sacreBLEU's <c>intl</c> tokenizer (mteval-v14 international): over Unicode code points, splits punctuation
/// (<c>\p{P}</c>) from a preceding non-number, then punctuation from a following non-number, then puts spaces around
/// every symbol (<c>\p{S}</c>); whitespace runs then collapse to one space. No padding step.
/// </summary>
public sealed class BleuTokenizerIntl : BleuTokenizer
{
    /// <inheritdoc />
    public override string Name => "intl";

    /// <inheritdoc />
    public override string Tokenize(string line)
    {
        var s = RegexSubstitution.SpaceBetweenAndAfter(CodePoints.Of(line), c => !IsNumber(c), IsPunctuation);
        s = RegexSubstitution.SpaceBeforeAndBetween(s, IsPunctuation, c => !IsNumber(c));
        s = RegexSubstitution.PadEach(s, IsSymbol);
        return string.Join(' ', Text.PythonText.Split(CodePoints.ToText(s)));
    }

    static bool IsNumber(int c) => CodePoints.Category(c) is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    static bool IsPunctuation(int c) => CodePoints.Category(c) is UnicodeCategory.ConnectorPunctuation
        or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
        or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
        or UnicodeCategory.OtherPunctuation;

    static bool IsSymbol(int c) => CodePoints.Category(c) is UnicodeCategory.MathSymbol
        or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;
}
