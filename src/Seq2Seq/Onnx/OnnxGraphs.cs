namespace Seq2Seq.Onnx;

/// <summary>
/// The contract between an exported encoder graph and its decoder-step graph. The encoder takes <c>src</c>
/// [batch, src_len] (int64 ids) and <c>src_lengths</c> [batch] (int64) and outputs the <see cref="Memory"/> tensors
/// (fixed per sentence) and the initial <see cref="State"/> tensors. The step graph takes <c>previous</c> [batch]
/// (int64, the last output token), <c>step</c> (int64 scalar, 0 at the first step), <c>src_lengths</c>, the memory and
/// the state, and outputs <c>log_probs</c> [batch, vocab], <c>attention</c> [batch, src_len] when
/// <see cref="Attention"/>, and the next state as <c>next_</c> + each state name. Every memory and state tensor has
/// the batch (one row per sentence or hypothesis) as its first axis, so a search selects rows of all of them alike.
/// A hybrid-attention model's step also outputs its gate <c>gate</c> [batch] (1 = global, 0 = local) when <see cref="Gate"/>.
/// </summary>
public sealed record OnnxSignature(IReadOnlyList<string> Memory, IReadOnlyList<string> State, bool Attention, bool Gate = false)
{
    public const string Source = "src";
    public const string SourceLengths = "src_lengths";
    public const string Previous = "previous";
    public const string Step = "step";
    public const string LogProbs = "log_probs";
    public const string AttentionOutput = "attention";
    public const string GateOutput = "gate";
    public const string NextPrefix = "next_";
}

/// <summary>An exported model's two graphs (serialised ModelProtos) and their contract.</summary>
public sealed record OnnxGraphs(byte[] Encoder, byte[] DecoderStep, OnnxSignature Signature);
