using Seq2Seq.Configuration;

namespace Seq2Seq.Models;

/// <summary>The one place a model is made from its config.</summary>
public static class ModelBuilder
{
    /// <summary>Builds an untrained model of the family model.type names; the caller seeds torch first for
    /// reproducible initial weights.</summary>
    /// <exception cref="ArgumentException">The settings do not fit together (the message names the key).</exception>
    public static Seq2SeqNetwork Build(ModelConfig config, int sourceVocab, int targetVocab)
    {
        // A copied source id is emitted as the target id of the same number: one vocabulary must serve both sides.
        if (config.CopyAttention && sourceVocab != targetVocab)
            throw new ArgumentException($"model.copy_attention needs one vocabulary for both sides (data.joint_vocabulary: true); the source vocabulary has {sourceVocab} entries, the target {targetVocab}");
        return config.Type switch
        {
            ModelTypes.Transformer => new Transformer(config.Transformer, sourceVocab, targetVocab, config.TieTargetEmbeddings, config.CopyAttention),
            ModelTypes.Rnn => new EncoderDecoder(config, sourceVocab, targetVocab),
            _ => throw new ArgumentException($"unknown model type '{config.Type}' ({string.Join(", ", ModelTypes.All)})"),
        };
    }
}
