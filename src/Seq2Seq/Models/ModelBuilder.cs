using Seq2Seq.Configuration;

namespace Seq2Seq.Models;

/// <summary>The one place a model is made from its config.</summary>
public static class ModelBuilder
{
    /// <summary>Builds an untrained model; the caller seeds torch first for reproducible initial weights.</summary>
    public static EncoderDecoder Build(ModelConfig config, int sourceVocab, int targetVocab) =>
        new(config, sourceVocab, targetVocab);
}
