using Seq2Seq.Configuration;

namespace Seq2Seq.Models;

/// <summary>The one place a model is made from its config.</summary>
public static class ModelBuilder
{
    /// <summary>Builds an untrained model of the family model.type names; the caller seeds torch first for
    /// reproducible initial weights.</summary>
    public static Seq2SeqNetwork Build(ModelConfig config, int sourceVocab, int targetVocab) => config.Type switch
    {
        ModelTypes.Transformer => new Transformer(config.Transformer, sourceVocab, targetVocab, config.TieTargetEmbeddings),
        ModelTypes.Rnn => new EncoderDecoder(config, sourceVocab, targetVocab),
        _ => throw new ArgumentException($"unknown model type '{config.Type}' ({string.Join(", ", ModelTypes.All)})"),
    };
}
