using Seq2Seq.Configuration;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Onnx;

/// <summary>Builds the encoder and decoder-step ONNX graphs of a trained network (see <see cref="OnnxSignature"/>).</summary>
public static class OnnxExport
{
    /// <summary>The toolkit version recorded as each graph's producer.</summary>
    public static string ProducerVersion => typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0";

    /// <param name="int8">Quantise the linear layers' weights to int8 (dynamic quantisation; embeddings stay fp32).</param>
    /// <exception cref="OnnxExportException">A part of the model has no ONNX export; the message names it.</exception>
    public static OnnxGraphs Build(ModelConfig config, Seq2SeqNetwork network, int targetVocab, bool int8 = false)
    {
        if (config.CopyAttention)
            throw new OnnxExportException("model.copy_attention: copy attention (the copy gate and the scatter of the attention onto the source ids) " +
                "has no ONNX export; decode this model with the TorchSharp backend, or export a model trained without copy attention");
        using var _ = no_grad();
        var parameters = network.state_dict();
        return network switch
        {
            Transformer => TransformerOnnxExport.Build(config.Transformer, parameters, targetVocab, int8, ProducerVersion),
            EncoderDecoder => RnnOnnxExport.Build(config, parameters, targetVocab, int8, ProducerVersion),
            _ => throw new OnnxExportException($"no ONNX export for a {network.GetType().Name}"),
        };
    }
}
