using Seq2Seq.Configuration;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// Forward FLOPs per target token of the RNN attention model, counted from the architecture (2 × multiply-adds of
/// every matrix product; element-wise work is left out). Training costs ≈ 3 × this (forward, and backward twice).
/// </summary>
public static class ModelFlops
{
    /// <param name="sourcePerTarget">Average source tokens per target token of the data (the encoder runs per source token).</param>
    /// <param name="sourceLength">Average source length (attention looks at every source position).</param>
    public static double ForwardPerTargetToken(ModelConfig m, int targetVocab, double sourcePerTarget, double sourceLength)
    {
        var e = m.Encoder;
        var d = m.Decoder;
        int emb = m.EmbeddingSize;
        int encOut = e.HiddenSize;
        double encoder = 0;                                                     // per source token
        if (e.Type == "cnn")
        {
            encoder = 2.0 * emb * encOut;                                          // input projection
            encoder += e.Layers * 2.0 * e.KernelWidth * encOut * 2 * encOut;       // GLU convolutions (2H outputs)
        }
        else
        {
            int gates = e.Type == "gru" ? 3 : 4;
            int dirs = e.Bidirectional ? 2 : 1;
            int h = encOut / dirs;
            for (int l = 0; l < e.Layers; l++)
                encoder += dirs * 2.0 * gates * h * ((l == 0 ? emb : encOut) + h);
        }
        int hd = d.HiddenSize;
        int decGates = d.Type == "gru" ? 3 : 4;
        bool bahdanau = d.Attention == "additive";
        int input = emb + (bahdanau ? encOut : d.InputFeeding ? hd : 0);
        double decoder = 0;
        for (int l = 0; l < d.Layers; l++) decoder += 2.0 * decGates * hd * ((l == 0 ? input : hd) + hd);
        double attention = d.Attention switch
        {
            "none" => 0,
            "dot" => 2.0 * sourceLength * hd + 2.0 * sourceLength * encOut,
            // keys W·h_s once per source token, then a dot product and the context per target step
            "general" => 2.0 * encOut * hd * sourcePerTarget + 2.0 * sourceLength * (hd + encOut),
            // W [h_t; h_s] split into a target half per step and a source half per source token, then v·tanh(·)
            _ => 2.0 * encOut * hd * sourcePerTarget + 2.0 * hd * hd + 2.0 * sourceLength * (hd + encOut),
        };
        if (d.AttentionType is "local-p" or "hybrid") attention += 2.0 * hd * hd;  // position predictor
        double attentional = 2.0 * (hd + encOut) * hd;
        double output = 2.0 * hd * targetVocab;
        return encoder * sourcePerTarget + decoder + attention + attentional + output;
    }
}
