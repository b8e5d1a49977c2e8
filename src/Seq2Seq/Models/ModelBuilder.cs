using Seq2Seq.Configuration;

namespace Seq2Seq.Models;

/// <summary>The one place a model is made from its config.</summary>
public static class ModelBuilder
{
    /// <summary>Builds an untrained model of the family model.type names; the caller seeds torch first for
    /// reproducible initial weights.</summary>
    public static Seq2SeqNetwork Build(ModelConfig config, int sourceVocab, int targetVocab) => config.Type switch
    {
        "transformer" => new Transformer(config.Transformer, sourceVocab, targetVocab, config.TieTargetEmbeddings),
        _ => new EncoderDecoder(config, sourceVocab, targetVocab),
    };
}
