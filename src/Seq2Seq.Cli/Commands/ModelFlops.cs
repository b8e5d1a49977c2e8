using Seq2Seq.Configuration;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// Forward FLOPs per target token of a model (RNN with attention, or Transformer), counted from the architecture (2 × multiply-adds of
/// every matrix product; element-wise work is left out). Training costs ≈ 3 × this (forward, and backward twice).
/// </summary>
public static class ModelFlops
{
    /// <param name="sourcePerTarget">Average source tokens per target token of the data (the encoder runs per source token).</param>
    /// <param name="sourceLength">Average source length (attention looks at every source position).</param>
    public static double ForwardPerTargetToken(ModelConfig m, int targetVocab, double sourcePerTarget, double sourceLength)
    {
        if (m.Type == ModelTypes.Transformer) return TransformerPerTargetToken(m.Transformer, targetVocab, sourcePerTarget, sourceLength);
        var e = m.Encoder;
        var d = m.Decoder;
        int emb = m.EmbeddingSize;
        int encOut = e.HiddenSize;
        double encoder = 0;                                                     // per source token
        if (e.Type == EncoderTypes.Cnn)
        {
            encoder = 2.0 * emb * encOut;                                          // input projection
            encoder += e.Layers * 2.0 * e.KernelWidth * encOut * 2 * encOut;       // GLU convolutions (2H outputs)
        }
        else
        {
            int gates = Gates(e.Type, "model.encoder.type");
            int dirs = e.Bidirectional ? 2 : 1;
            int h = encOut / dirs;
            for (int l = 0; l < e.Layers; l++)
                encoder += dirs * 2.0 * gates * h * ((l == 0 ? emb : encOut) + h);
        }
        int hd = d.HiddenSize;
        int decGates = Gates(d.Type, "model.decoder.type");
        bool bahdanau = d.Attention == AttentionScores.Additive;
        int input = emb + (bahdanau ? encOut : d.InputFeeding ? hd : 0);
        double decoder = 0;
        for (int l = 0; l < d.Layers; l++) decoder += 2.0 * decGates * hd * ((l == 0 ? input : hd) + hd);
        double attention = d.Attention switch
        {
            AttentionScores.None => 0,
            AttentionScores.Dot => 2.0 * sourceLength * hd + 2.0 * sourceLength * encOut,
            // keys W·h_s once per source token, then a dot product and the context per target step
            AttentionScores.General => 2.0 * encOut * hd * sourcePerTarget + 2.0 * sourceLength * (hd + encOut),
            // W [h_t; h_s] split into a target half per step and a source half per source token, then v·tanh(·)
            AttentionScores.Concat or AttentionScores.Additive => 2.0 * encOut * hd * sourcePerTarget + 2.0 * hd * hd + 2.0 * sourceLength * (hd + encOut),
            _ => throw new ArgumentException($"model.decoder.attention: unknown attention score '{d.Attention}' ({string.Join(", ", AttentionScores.All)})"),
        };
        if (!AttentionTypes.All.Contains(d.AttentionType))
            throw new ArgumentException($"model.decoder.attention_type: unknown attention type '{d.AttentionType}' ({string.Join(", ", AttentionTypes.All)})");
        if (d.AttentionType is AttentionTypes.LocalP or AttentionTypes.Hybrid) attention += 2.0 * hd * hd;  // position predictor
        double attentional = 2.0 * (hd + encOut) * hd;
        double output = 2.0 * hd * targetVocab;
        return encoder * sourcePerTarget + decoder + attention + attentional + output;
    }

    /// <summary>Gate matrices of an RNN cell: 4 for an LSTM, 3 for a GRU.</summary>
    static int Gates(string cell, string key) => cell switch
    {
        RnnCellTypes.Lstm => 4,
        RnnCellTypes.Gru => 3,
        _ => throw new ArgumentException($"{key}: unknown RNN cell '{cell}' ({string.Join(", ", RnnCellTypes.All)})"),
    };

    // Encoder layer per source token: Q, K, V, O projections (4·d²), scores and weighted sum over the source (2·S·d),
    // feed-forward (2·d·ff). Decoder layer per target token: the same self-attention over the prefix (≈ T/2 on average),
    // cross-attention (Q and O per target token, K and V per source token), feed-forward.
    static double TransformerPerTargetToken(TransformerConfig c, int targetVocab, double sourcePerTarget, double sourceLength)
    {
        double d = c.ModelSize, ff = c.FeedForwardSize;
        double targetLength = sourceLength / Math.Max(sourcePerTarget, 1e-9);
        double encoder = c.EncoderLayers * (2 * 4 * d * d + 2 * 2 * sourceLength * d + 2 * 2 * d * ff);
        double decoder = c.DecoderLayers * (2 * 4 * d * d + 2 * 2 * (targetLength / 2) * d     // self-attention
            + 2 * 2 * d * d + 2 * 2 * d * d * sourcePerTarget + 2 * 2 * sourceLength * d       // cross-attention
            + 2 * 2 * d * ff);
        return encoder * sourcePerTarget + decoder + 2 * d * targetVocab;
    }
}
