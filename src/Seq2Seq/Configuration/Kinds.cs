namespace Seq2Seq.Configuration;

// The named kinds the config's string options take, each declared once. The config's [Choices] attributes, the
// builders, `s2s profile`'s FLOP count, the config reference (docs/config-reference.md) and the tests read them
// from here. The Python side keeps its own lists of the kinds it mirrors: interop/python/seq2seq_torch.py (the
// PyTorch module that loads `s2s export` output: attention scores) and the PyTorch reference under ../shared/bench.

/// <summary><c>model.type</c>: the model family.</summary>
public static class ModelTypes
{
    /// <summary>RNN or CNN encoder, RNN decoder with attention (the encoder/decoder sections).</summary>
    public const string Rnn = "rnn";
    /// <summary>The pre-norm Transformer (the transformer section).</summary>
    public const string Transformer = "transformer";
    public static IReadOnlyList<string> All { get; } = [Rnn, Transformer];
}

/// <summary><c>model.decoder.type</c>, and the recurrent kinds of <c>model.encoder.type</c>: the RNN cell.</summary>
public static class RnnCellTypes
{
    public const string Lstm = "lstm";
    public const string Gru = "gru";
    public static IReadOnlyList<string> All { get; } = [Lstm, Gru];
}

/// <summary><c>model.encoder.type</c>: an RNN cell, or ConvS2S-style convolutions.</summary>
public static class EncoderTypes
{
    public const string Cnn = "cnn";
    public static IReadOnlyList<string> All { get; } = [RnnCellTypes.Lstm, RnnCellTypes.Gru, Cnn];
}

/// <summary><c>model.decoder.attention</c>: how a decoder query scores an encoder state, or no attention.</summary>
public static class AttentionScores
{
    /// <summary>q·e (Luong).</summary>
    public const string Dot = "dot";
    /// <summary>q·(W e) (Luong).</summary>
    public const string General = "general";
    /// <summary>vᵀ tanh(W_q q + W_k e) (Luong).</summary>
    public const string Concat = "concat";
    /// <summary>vᵀ tanh(W_q q + W_k e + b) (Bahdanau), with Bahdanau's decoder input.</summary>
    public const string Additive = "additive";
    /// <summary>No attention: the decoder sees only the bridged encoder state.</summary>
    public const string None = "none";
    public static IReadOnlyList<string> All { get; } = [Dot, General, Concat, Additive, None];
}

/// <summary><c>model.decoder.attention_type</c>: which source positions attention looks at.</summary>
public static class AttentionTypes
{
    public const string Global = "global";
    public const string LocalM = "local-m";
    public const string LocalP = "local-p";
    public const string Hybrid = "hybrid";
    public static IReadOnlyList<string> All { get; } = [Global, LocalM, LocalP, Hybrid];
    /// <summary>The local kinds (<c>model.decoder.hybrid_local</c>).</summary>
    public static IReadOnlyList<string> Local { get; } = [LocalM, LocalP];
}

/// <summary><c>model.transformer.positions</c>.</summary>
public static class PositionKinds
{
    public const string Sinusoidal = "sinusoidal";
    public const string Learned = "learned";
    public static IReadOnlyList<string> All { get; } = [Sinusoidal, Learned];
}

/// <summary><c>data.source_tokenizer</c>, <c>data.target_tokenizer</c> and the BPE bases.</summary>
public static class TokenizerKinds
{
    public const string Word = "word";
    public const string Char = "char";
    public const string Space = "space";
    public const string Jieba = "jieba";
    public const string Bpe = "bpe";
    public const string SentencePiece = "sentencepiece";
    public static IReadOnlyList<string> All { get; } = [Word, Char, Space, Jieba, Bpe, SentencePiece];
    /// <summary>The kinds that need no learned or loaded model.</summary>
    public static IReadOnlyList<string> Plain { get; } = [Word, Char, Space, Jieba];
    /// <summary>The kinds BPE can split the words of (<c>data.source_bpe_base</c>, <c>data.target_bpe_base</c>).</summary>
    public static IReadOnlyList<string> BpeBases { get; } = [Word, Jieba, Space];
}

/// <summary><c>training.schedule</c>: the learning-rate schedule.</summary>
public static class Schedules
{
    public const string Plateau = "plateau";
    public const string Warmup = "warmup";
    public const string Noam = "noam";
    public const string Constant = "constant";
    public static IReadOnlyList<string> All { get; } = [Plateau, Warmup, Noam, Constant];
}

/// <summary><c>training.best_metric</c>: what picks the best checkpoint.</summary>
public static class BestMetrics
{
    public const string Loss = "loss";
    public const string Ppl = "ppl";
    public const string Bleu = "bleu";
    public const string Chrf = "chrf";
    public const string Wer = "wer";
    public static IReadOnlyList<string> All { get; } = [Loss, Ppl, Bleu, Chrf, Wer];
}

/// <summary><c>decoding.beam_stop</c>: when beam search ends a sentence.</summary>
public static class BeamStops
{
    /// <summary>When no live hypothesis can still enter the n-best under the length penalty: the search's best
    /// under the penalty, at the cost of more steps on weak models.</summary>
    public const string Exact = "exact";
    /// <summary>When the most probable candidate (by raw log P) ends in &lt;/s&gt; and the n-best are finished, as
    /// OpenNMT-py ends a sentence: fewer steps, but a longer hypothesis that the penalty would prefer can be cut off.</summary>
    public const string Early = "early";
    public static IReadOnlyList<string> All { get; } = [Exact, Early];
}

/// <summary><c>training.device</c> and <c>--device</c>: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
public static class DeviceNames
{
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";
    /// <summary>The accepted forms, as a regular expression.</summary>
    public const string Pattern = @"cpu|cuda|cuda:\d+";
    public const string Expected = "cpu, cuda or cuda:N";
}

/// <summary><c>--backend</c> of <c>translate</c>, <c>score</c> and <c>serve</c>: what runs the network.</summary>
public static class Backends
{
    /// <summary>TorchSharp (libtorch) on a run directory's checkpoint.</summary>
    public const string Torch = "torch";
    /// <summary>ONNX Runtime (CPU) on an <c>s2s export --format onnx</c> folder; libtorch is not loaded.</summary>
    public const string Onnx = "onnx";
    public static IReadOnlyList<string> All { get; } = [Torch, Onnx];
}
