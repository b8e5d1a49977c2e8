using Seq2Seq.Data;
using Seq2Seq.Evaluation;

namespace Seq2Seq.Training;

/// <summary>
/// The quality figures training reports, all computed with the sacreBLEU-exact classes of <see cref="Evaluation"/>:
/// for metric <c>bleu</c>, corpus BLEU (13a) and chrF of detokenised output against the raw references; for <c>wer</c>
/// (grapheme-to-phoneme), WER and PER with the references of each source grouped (several pronunciations).
/// </summary>
public sealed record QualityScores(double? Bleu, double? ChrF, double? Wer, double? Per, string? Signature, string? ChrFSignature,
    double? TokenizedBleu)
{
    /// <summary>For <c>wer</c> on ARPAbet with stress digits: WER and PER without them, the figures most published
    /// CMUdict results use (<see cref="ArpabetStress"/>); otherwise null.</summary>
    public G2pScore? WithoutStress { get; init; }

    /// <param name="pairs">The evaluated pairs (their targets are the references).</param>
    /// <param name="hypotheses">Detokenised output, one per pair.</param>
    /// <param name="targetTokenizer">The target side's tokeniser; tokenised BLEU and WER count the word-level tokens
    /// of <see cref="Tokenizers.ForScoring"/> (for BPE its base tokeniser), not subword units.</param>
    public static QualityScores Compute(string metric, IReadOnlyList<SentencePair> pairs, IReadOnlyList<string> hypotheses, ITokenizer targetTokenizer)
    {
        targetTokenizer = Tokenizers.ForScoring(targetTokenizer);
        if (metric == "wer")
        {
            var g2p = G2pScores(pairs, hypotheses, targetTokenizer);
            return new QualityScores(null, null, g2p.Wer, g2p.Per, "wer: exact match against any reference of the source", null, null)
                { WithoutStress = g2p.WithoutStress };
        }
        var refs = pairs.Select(p => p.Target).ToList();
        var bleu = new Bleu().CorpusScore(hypotheses, [refs]);
        var chrf = new ChrF().CorpusScore(hypotheses, [refs]);
        // The PyTorch reference's figure: BLEU over our own tokenisation of both sides (tok:none).
        var tokRefs = refs.Select(r => string.Join(' ', targetTokenizer.Tokenize(r))).ToList();
        var tokHyps = hypotheses.Select(h => string.Join(' ', targetTokenizer.Tokenize(h))).ToList();
        var tokBleu = new Bleu(new BleuOptions(Tokenize: "none")).CorpusScore(tokHyps, [tokRefs]);
        return new QualityScores(bleu.Score, chrf.Score, null, null, bleu.Signature, chrf.Signature, tokBleu.Score);
    }

    // One item per distinct source (first hypothesis of that source), with all of its targets as references.
    static G2pScore G2pScores(IReadOnlyList<SentencePair> pairs, IReadOnlyList<string> hypotheses, ITokenizer targetTokenizer)
    {
        var groups = new Dictionary<string, (IReadOnlyList<string> Predicted, List<IReadOnlyList<string>> References)>(StringComparer.Ordinal);
        var order = new List<string>();
        for (int i = 0; i < pairs.Count; i++)
        {
            if (!groups.TryGetValue(pairs[i].Source, out var g))
            {
                g = (targetTokenizer.Tokenize(hypotheses[i]), []);
                groups[pairs[i].Source] = g;
                order.Add(pairs[i].Source);
            }
            g.References.Add(targetTokenizer.Tokenize(pairs[i].Target));
        }
        return G2pErrorRates.Compute(order.Select(s => (groups[s].Predicted, (IReadOnlyList<IReadOnlyList<string>>)groups[s].References)));
    }
}
