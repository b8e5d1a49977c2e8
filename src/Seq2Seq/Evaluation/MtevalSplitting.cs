using Seq2Seq.Text;

namespace Seq2Seq.Evaluation;

/// <summary>
/// The punctuation rules shared by the <c>13a</c> and <c>zh</c> tokenizers (mteval-v13a's language-dependent part),
/// applied over code points:
/// 1. every ASCII punctuation or symbol character except the apostrophe, <c>-</c>, <c>.</c> and <c>,</c> gets spaces
///    around it;
/// 2. <c>.</c> and <c>,</c> get split from a preceding non-digit;
/// 3. <c>.</c> and <c>,</c> get split from a following non-digit;
/// 4. <c>-</c> gets split from a preceding digit.
/// Then whitespace runs collapse to one space, with none at either end. Digits are ASCII <c>0-9</c> only.
/// </summary>
internal static class MtevalSplitting
{
    public static string Apply(string line)
    {
        var s = RegexSubstitution.PadEach(CodePoints.Of(line), IsSplitSymbol);
        s = RegexSubstitution.SpaceBetweenAndAfter(s, c => !IsDigit(c), IsPeriodOrComma);
        s = RegexSubstitution.SpaceBeforeAndBetween(s, IsPeriodOrComma, c => !IsDigit(c));
        s = RegexSubstitution.SpaceBetweenAndAfter(s, IsDigit, c => c == '-');
        return string.Join(' ', Text.PythonText.Split(CodePoints.ToText(s)));
    }

    static bool IsDigit(int c) => c is >= '0' and <= '9';

    static bool IsPeriodOrComma(int c) => c is '.' or ',';

    // The class [\{-\~\[-\` -\&\(-\+\:-\@\/] of the original rule: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ /
    static bool IsSplitSymbol(int c) =>
        c is >= '{' and <= '~' or >= '[' and <= '`' or >= ' ' and <= '&' or >= '(' and <= '+' or >= ':' and <= '@' or '/';
}
