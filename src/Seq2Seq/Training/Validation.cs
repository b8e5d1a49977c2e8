using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seq2Seq.Training;

/// <summary>Dev-set figures at one validation.</summary>
/// <param name="Loss">Plain cross-entropy per target token (no label smoothing).</param>
/// <param name="Bleu">sacreBLEU corpus BLEU of greedy dev output (metric bleu).</param>
/// <param name="Wer">Word error rate in percent (metric wer).</param>
/// <param name="Signature">The signature of the reported score.</param>
/// <param name="MeanGate">Hybrid attention: the mean global share g_t over the dev target tokens (1 = all global).</param>
public sealed record ValidationResult(double Loss, double Perplexity, double? Bleu, double? ChrF, double? Wer, double? Per, string? Signature,
    double? MeanGate);

/// <summary>Computes <see cref="ValidationResult"/>: dev loss over the encoded dev pairs, then a greedy decode of their
/// sources scored against their own references (pairs dropped while encoding, with a side of no tokens, take part in
/// neither). Sequences longer than the model takes are cut (<see cref="LengthLimits"/>).</summary>
public static class Validation
{
    public static ValidationResult Run(Seq2SeqNetwork model, PreparedData data, RunConfig config)
    {
        if (data.DevEncoded.Count == 0) return new ValidationResult(double.NaN, double.NaN, null, null, null, null, null, null);
        model.eval();
        double lossSum = 0, gateSum = 0;
        long tokens = 0;
        bool hybrid = config.Model.HasHybridAttention();
        var dev = data.DevEncoded;
        var limits = LengthLimits.Of(model, config.Decoding);
        using (no_grad())
        {
            var devSources = LengthLimits.Cut(dev.Sources, limits.Source);
            var devTargets = LengthLimits.Cut(dev.Targets, limits.Target);
            foreach (var indices in BatchPlanner.EvaluationBatches(devSources, devTargets, config.Training.BatchTokens))
            {
                using var scope = NewDisposeScope();
                var batch = Batch.Create(devSources, devTargets, indices, model.Device);
                var (logits, _, gates) = model.Forward(batch.Source, batch.SourceLengths, batch.TargetIn!, returnWeights: hybrid); // [batch, tgtLen, V]
                using var loss = F.cross_entropy(logits.view(-1, logits.shape[2]), batch.TargetOut!.view(-1),
                    ignore_index: Vocabulary.Pad, reduction: nn.Reduction.Sum);
                lossSum += loss.item<float>();
                tokens += batch.TargetTokens;
                if (gates is not null)
                    gateSum += gates.masked_select(batch.TargetOut!.ne(Vocabulary.Pad)).sum().item<float>();
            }
        }
        double devLoss = lossSum / Math.Max(1, tokens);

        int n = config.Training.DevDecodeSentences > 0 ? Math.Min(config.Training.DevDecodeSentences, dev.Count) : dev.Count;
        var pairs = dev.PairIndices.Take(n).Select(i => data.Dev[i]).ToList();
        var sources = LengthLimits.Cut(dev.Sources.Take(n).ToList(), limits.DecodedSource);
        var search = SearchOptions.From(config.Decoding, beam: 1);   // greedy (which has no length penalty)
        var hyps = CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, search, config.Decoding.BatchSize)
            .Select(h => data.TargetTokenizer.Detokenize(data.TargetVocab.Decode(h[0].Tokens))).ToList();
        var q = QualityScores.Compute(config.Decoding.Metric, pairs, hyps, data.TargetTokenizer);
        return new ValidationResult(devLoss, Math.Exp(devLoss), q.Bleu, q.ChrF, q.Wer, q.Per, q.Signature,
            hybrid ? gateSum / Math.Max(1, tokens) : null);
    }
}
