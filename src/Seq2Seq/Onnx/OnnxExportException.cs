namespace Seq2Seq.Onnx;

/// <summary>A model (or a part of it) cannot be exported to ONNX; the message names the part.</summary>
public sealed class OnnxExportException(string message) : Exception(message);
