using System.Globalization;
using System.Text;

namespace Seq2Seq.Data;

/// <summary>
/// Turns English word tokens back into running text with a small set of rules in the style of the Moses detokeniser:
/// <list type="bullet">
/// <item>no space before <c>. , ! ? ; : % ) ] }</c> and closing quotes (<c>” ’ »</c>);</item>
/// <item>no space after <c>( [ {</c>, opening quotes (<c>“ ‘ «</c>), <c>¿ ¡</c> and currency symbols;</item>
/// <item>straight double quotes alternate: the first opens, the next closes;</item>
/// <item>an apostrophe (<c>'</c> or <c>’</c>) after a token ending in a letter and before <c>t s ll re ve d m</c> is a
/// contraction or possessive and joins both (<c>don ' t</c> → <c>don't</c>, <c>John ' s</c> → <c>John's</c>); any
/// other straight apostrophe alternates like a double quote (<c>the ' quoted ' word</c> → <c>the 'quoted' word</c>);</item>
/// <item>everything else, hyphens included, keeps one space on each side.</item>
/// </list>
/// Spaces are only ever left out next to punctuation or symbols, so the <c>word</c> tokeniser splits the result back
/// into the same tokens.
/// </summary>
public static class EnglishDetokenizer
{
    const string AttachLeft = ".,!?;:%)]}”’»";
    const string AttachRight = "([{“‘«¿¡";

    /// <summary>Joins <paramref name="tokens"/> by the rules above.</summary>
    public static string Detokenize(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var sb = new StringBuilder();
        bool glueNext = true;          // no space before the next token (true at the start)
        bool doubleOpen = false, singleOpen = false;
        for (int i = 0; i < tokens.Count; i++)
        {
            string t = tokens[i];
            if (t.Length == 0) continue;
            bool glueBefore = false, glueAfter = false;
            if (t is "'" or "’" && i > 0 && i + 1 < tokens.Count && EndsWithLetter(tokens[i - 1]) && IsContractionEnding(tokens[i + 1]))
            {
                glueBefore = glueAfter = true;
            }
            else if (t == "\"")
            {
                if (doubleOpen) glueBefore = true; else glueAfter = true;
                doubleOpen = !doubleOpen;
            }
            else if (t == "'")
            {
                if (singleOpen) glueBefore = true; else glueAfter = true;
                singleOpen = !singleOpen;
            }
            else if (t.Length == 1 && AttachLeft.Contains(t[0])) glueBefore = true;
            else if (t.Length == 1 && (AttachRight.Contains(t[0]) || CharUnicodeInfo.GetUnicodeCategory(t[0]) == UnicodeCategory.CurrencySymbol))
                glueAfter = true;

            if (!glueNext && !glueBefore) sb.Append(' ');
            sb.Append(t);
            glueNext = glueAfter;
        }
        return sb.ToString();
    }

    static bool EndsWithLetter(string s) => s.Length > 0 && char.IsLetter(s[^1]);
    // What follows the apostrophe in English contractions and possessives: n't, 's, 'll, 're, 've, 'd, 'm.
    static bool IsContractionEnding(string s) => s.ToLowerInvariant() is "t" or "s" or "ll" or "re" or "ve" or "d" or "m";
}
