using Seq2Seq.Decoding;
using Seq2Seq.Models;
using TorchSharp;

namespace Seq2Seq.Training;

/// <summary>
/// TensorBoard event files in <c>RUN_DIR/tensorboard/</c> (TorchSharp's SummaryWriter), beside the JSONL log:
/// training loss, learning rate and tokens/s; dev loss, perplexity, BLEU/chrF or WER/PER and the hybrid gate; test
/// metrics; and at each validation the attention heatmap of the first dev sentence. <c>tensorboard --logdir RUN_DIR</c>
/// shows them. A resumed run writes a new event file; TensorBoard merges the files of one folder.
/// Event files are a convenience: when one cannot be written (a full disk), the log says so once and training goes on.
/// </summary>
public sealed class TensorBoardLog
{
    TorchSharp.Modules.SummaryWriter? writer;
    readonly Action<string> warn;

    public TensorBoardLog(string directory, Action<string> warn)
    {
        this.warn = warn;
        Guard(() => writer = torch.utils.tensorboard.SummaryWriter(directory));
    }

    void Guard(Action write)
    {
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (writer is not null) warn($"TensorBoard events are no longer written: {e.Message}");
            writer = null;
        }
    }

    /// <param name="gradNorm">Mean gradient norm before clipping (null when clipping is off and it is not measured).</param>
    public void Train(int step, double loss, double learningRate, double tokensPerSecond, double? gradNorm) => Guard(() =>
    {
        if (writer is null) return;
        writer.add_scalar("train/loss", (float)loss, step);
        writer.add_scalar("train/learning_rate", (float)learningRate, step);
        writer.add_scalar("train/tokens_per_s", (float)tokensPerSecond, step);
        if (gradNorm is double g) writer.add_scalar("train/grad_norm", (float)g, step);
    });

    public void Validation(int step, ValidationResult v) => Guard(() =>
    {
        if (writer is null) return;
        writer.add_scalar("dev/loss", (float)v.Loss, step);
        writer.add_scalar("dev/perplexity", (float)v.Perplexity, step);
        void Optional(string tag, double? value) { if (value is double x) writer.add_scalar(tag, (float)x, step); }
        Optional("dev/bleu", v.Bleu);
        Optional("dev/chrf", v.ChrF);
        Optional("dev/wer", v.Wer);
        Optional("dev/per", v.Per);
        Optional("dev/mean_hybrid_gate", v.MeanGate);
    });

    /// <summary>The greedy attention of the first dev sentence as an image (the same PNG as <c>s2s translate --attention</c>).</summary>
    public void Attention(int step, Seq2SeqNetwork model, PreparedData data) => Guard(() =>
    {
        if (writer is null || data.Dev.Count == 0) return;
        var tokens = data.SourceTokenizer.Tokenize(data.Dev[0].Source);
        if (tokens.Count == 0) return;
        var h = CorpusDecoder.Decode(new TorchDecodingBackend(model), [data.SourceVocab.Encode(tokens)], new SearchOptions(BeamSize: 1, ReturnAttention: true), 1)[0][0];
        if (h.Attention is null) return;           // a model without attention
        var outTokens = data.TargetVocab.Decode(h.Tokens);
        var translation = new Translation(data.Dev[0].Source, tokens,
            [new TranslationCandidate(data.TargetTokenizer.Detokenize(outTokens), outTokens, h.LogProb, h.Score, h.Attention)]);
        string dir = Path.Combine(Path.GetTempPath(), $"s2s-tb-{Environment.ProcessId}");
        try
        {
            AttentionHeatmap.Write(translation, dir, "attention");
            string png = Path.Combine(dir, "attention.png");
            if (File.Exists(png)) writer.add_img("attention/dev_sentence_1", png, step);
        }
        finally { try { Directory.Delete(dir, recursive: true); } catch (IOException) { } }
    });

    public void Test(int step, IReadOnlyDictionary<string, object> metrics) => Guard(() =>
    {
        if (writer is null) return;
        foreach (var (name, value) in metrics)
            if (value is double d && name is "bleu" or "chrf" or "wer" or "per") writer.add_scalar($"test/{name}", (float)d, step);
    });
}
