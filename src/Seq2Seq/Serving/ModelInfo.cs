using System.Text.Json;
using Seq2Seq.Configuration;
using Seq2Seq.Runs;

namespace Seq2Seq.Serving;

/// <summary>The body of <c>GET /v1/model</c>: what the model is, how big, and what it reached in training.</summary>
public static class ModelInfo
{
    public static object Describe(TranslationModel m)
    {
        var c = m.Config;
        var transformer = c.Model.Type == ModelTypes.Transformer ? c.Model.Transformer : null;
        var run = new RunDirectory(m.RunDir);
        JsonElement? results = null;
        if (File.Exists(run.Results))
        {
            try { results = JsonDocument.Parse(File.ReadAllText(run.Results)).RootElement.Clone(); }
            catch (JsonException) { }   // an unreadable results file only means no metrics to show
        }
        return new
        {
            name = c.Name,
            checkpoint = Path.GetFileName(m.Checkpoint),
            parameters = m.ParameterCount,
            backend = m.BackendName,
            source_vocab = m.SourceVocab.Count,
            target_vocab = m.TargetVocab.Count,
            source_tokenizer = c.Data.SourceTokenizer,
            target_tokenizer = c.Data.TargetTokenizer,
            type = c.Model.Type,
            encoder = transformer is null
                ? new { c.Model.Encoder.Type, c.Model.Encoder.HiddenSize, c.Model.Encoder.Layers, c.Model.Encoder.Bidirectional }
                : (object)new { Type = ModelTypes.Transformer, HiddenSize = transformer.ModelSize, Layers = transformer.EncoderLayers, transformer.Heads, transformer.FeedForwardSize, transformer.Positions },
            decoder = transformer is null
                ? new { c.Model.Decoder.Type, c.Model.Decoder.HiddenSize, c.Model.Decoder.Layers, c.Model.Decoder.Attention, c.Model.Decoder.AttentionType, c.Model.Decoder.InputFeeding }
                : (object)new { Type = ModelTypes.Transformer, HiddenSize = transformer.ModelSize, Layers = transformer.DecoderLayers, transformer.Heads, Attention = "multi-head", AttentionType = "cross" },
            decoding = new { c.Decoding.BeamSize, c.Decoding.LengthPenalty, c.Decoding.MaxLengthRatio, c.Decoding.MaxLengthOffset, max_input_tokens = m.MaxSourceLength },
            test_metrics = results,
        };
    }
}
