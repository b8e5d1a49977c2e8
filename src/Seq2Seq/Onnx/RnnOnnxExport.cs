using Seq2Seq.Configuration;
using static TorchSharp.torch;

namespace Seq2Seq.Onnx;

/// <summary>Writes an RNN <see cref="Models.EncoderDecoder"/> as ONNX encoder and decoder-step graphs.</summary>
public static class RnnOnnxExport
{
    public static OnnxGraphs Build(ModelConfig config, IReadOnlyDictionary<string, Tensor> parameters, int targetVocab, bool int8, string producerVersion) =>
        throw new OnnxExportException("RNN encoder-decoder export is not written yet");
}
