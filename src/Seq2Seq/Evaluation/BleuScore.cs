using System.Globalization;
using Seq2Seq.Text;

namespace Seq2Seq.Evaluation;

/// <summary>A BLEU result with the statistics sacreBLEU reports.</summary>
/// <param name="Score">BLEU on a 0–100 scale.</param>
/// <param name="Precisions">The four n-gram precisions in percent, after smoothing (all 0 when nothing matched).</param>
/// <param name="BrevityPenalty">The brevity penalty, 1 when the hypotheses are not shorter than the references.</param>
/// <param name="SysLen">Total hypothesis length in tokens.</param>
/// <param name="RefLen">Total effective reference length (per segment the closest reference length, ties to the shorter).</param>
/// <param name="Counts">Clipped n-gram matches per order.</param>
/// <param name="Totals">Hypothesis n-grams per order.</param>
/// <param name="Signature">sacreBLEU's signature, e.g. <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0</c>.</param>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    int SysLen,
    int RefLen,
    IReadOnlyList<int> Counts,
    IReadOnlyList<int> Totals,
    string Signature)
{
    /// <summary>sacreBLEU's verbose form: <c>66.7/40.0/25.0/14.3 (BP = 1.000 ratio = 1.000 hyp_len = 9 ref_len = 9)</c>.</summary>
    public string Details
    {
        get
        {
            var precisions = string.Join('/', Precisions.Select(p => PythonFloatFormat.Fixed(p, 1)));
            double ratio = RefLen > 0 ? (double)SysLen / RefLen : 0.0;
            return string.Create(CultureInfo.InvariantCulture,
                $"{precisions} (BP = {PythonFloatFormat.Fixed(BrevityPenalty, 3)} ratio = {PythonFloatFormat.Fixed(ratio, 3)} hyp_len = {SysLen} ref_len = {RefLen})");
        }
    }
}
