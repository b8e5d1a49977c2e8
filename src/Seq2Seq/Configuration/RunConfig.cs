namespace Seq2Seq.Configuration;

// The whole configuration of a run, as read from YAML. Keys are the snake_case forms of the property names
// (e.g. BatchTokens -> batch_tokens). Every option is documented in configs/*.yaml and listed by the binder
// when an unknown key is given.

/// <summary>A complete run configuration: data, model, training and decoding.</summary>
public sealed record RunConfig
{
    /// <summary>Name shown in logs and reports.</summary>
    public string Name { get; init; } = "run";
    /// <summary>Folder for config, vocabularies, checkpoints, logs and test hypotheses.</summary>
    public string RunDir { get; init; } = "runs/run";
    public DataConfig Data { get; init; } = new();
    public ModelConfig Model { get; init; } = new();
    public TrainingConfig Training { get; init; } = new();
    public DecodingConfig Decoding { get; init; } = new();
}

/// <summary>Where the parallel data is and how it is turned into token ids.</summary>
public sealed record DataConfig
{
    /// <summary>Training data: a TSV file, or (format aligned) a path prefix completed by the suffixes.</summary>
    public string Train { get; init; } = "";
    public string Dev { get; init; } = "";
    public string Test { get; init; } = "";
    /// <summary><c>tsv</c> (one pair per line, columns chosen below) or <c>aligned</c> (two line-aligned files).</summary>
    [Choices("tsv", "aligned")] public string Format { get; init; } = "tsv";
    public int SourceColumn { get; init; } = 0;
    public int TargetColumn { get; init; } = 1;
    /// <summary>For <c>aligned</c>: the source file is Train + SourceSuffix (e.g. ".es").</summary>
    public string SourceSuffix { get; init; } = ".src";
    public string TargetSuffix { get; init; } = ".tgt";
    /// <summary><c>word</c>, <c>char</c>, <c>space</c>, <c>jieba</c> (Chinese words), <c>bpe</c> (subwords learned over
    /// source_bpe_base) or <c>sentencepiece</c> (pieces of source_sentencepiece_model).</summary>
    [Choices(typeof(TokenizerKinds))] public string SourceTokenizer { get; init; } = TokenizerKinds.Word;
    [Choices(typeof(TokenizerKinds))] public string TargetTokenizer { get; init; } = TokenizerKinds.Word;
    /// <summary>For <c>bpe</c>: the tokeniser that makes the words BPE splits.</summary>
    [Choices(typeof(TokenizerKinds), nameof(TokenizerKinds.BpeBases))] public string SourceBpeBase { get; init; } = TokenizerKinds.Word;
    [Choices(typeof(TokenizerKinds), nameof(TokenizerKinds.BpeBases))] public string TargetBpeBase { get; init; } = TokenizerKinds.Word;
    /// <summary>For <c>bpe</c>: merges learned from the training data at the start of a run (per side, or once when joint).</summary>
    public int BpeMerges { get; init; } = 8000;
    /// <summary>One vocabulary (and, when both sides are <c>bpe</c>, one set of merges) built from both sides.</summary>
    public bool JointVocabulary { get; init; } = false;
    /// <summary>A jieba user dictionary (<c>word [frequency] [tag]</c> per line) for every <c>jieba</c> side; "" = none.</summary>
    public string JiebaUserDict { get; init; } = "";
    /// <summary>A .NET regular expression whose matches (format placeholders such as <c>%s</c>, <c>%1$d</c>, <c>{0}</c>)
    /// are kept as single, unchanged tokens by the word, char, space and jieba tokenisers and by BPE's base; "" = none.</summary>
    public string ProtectedPattern { get; init; } = "";
    /// <summary>For <c>sentencepiece</c>: the <c>.model</c> file (copied into the run directory).</summary>
    public string SourceSentencepieceModel { get; init; } = "";
    public string TargetSentencepieceModel { get; init; } = "";
    public bool Lowercase { get; init; } = false;
    public int MinFrequency { get; init; } = 2;
    /// <summary>Maximum vocabulary size per side, specials not counted; 0 = no limit.</summary>
    public int MaxVocab { get; init; } = 0;
    /// <summary>Training pairs with more tokens than this on either side are skipped (and counted); 0 = no limit.</summary>
    public int MaxLength { get; init; } = 100;
    /// <summary><c>error</c>: a malformed line stops with file:line; <c>skip</c>: it is skipped and counted.</summary>
    [Choices("error", "skip")] public string BadLines { get; init; } = "error";
}

/// <summary>The model family and its settings: encoder, decoder and attention (rnn) or the transformer section.</summary>
public sealed record ModelConfig
{
    /// <summary>Whether this model has hybrid attention, hence a gate per decoder step.</summary>
    public bool HasHybridAttention() => Type == ModelTypes.Rnn && Decoder.AttentionType == AttentionTypes.Hybrid && Decoder.Attention != AttentionScores.None;

    /// <summary>The width of the decoder's output vectors (what the output layer reads): the Transformer's model size,
    /// the RNN decoder's hidden size.</summary>
    public int OutputSize() => Type == ModelTypes.Transformer ? Transformer.ModelSize : Decoder.HiddenSize;

    /// <summary><c>rnn</c>: the encoder/decoder sections (RNN or CNN encoder, RNN decoder with attention);
    /// <c>transformer</c>: the transformer section (embedding_size, encoder, decoder and dropout are not used).</summary>
    [Choices(typeof(ModelTypes))] public string Type { get; init; } = ModelTypes.Rnn;
    public int EmbeddingSize { get; init; } = 256;
    public EncoderConfig Encoder { get; init; } = new();
    public DecoderConfig Decoder { get; init; } = new();
    /// <summary>Dropout on embeddings, between RNN layers, on encoder outputs and on the attentional vector.</summary>
    public double Dropout { get; init; } = 0.2;
    /// <summary>Share the target embedding matrix with the output layer (rnn: needs embedding_size == decoder hidden_size).</summary>
    public bool TieTargetEmbeddings { get; init; } = false;
    /// <summary>Copy attention (pointer-generator): a per-step gate mixes the vocabulary distribution with the attention
    /// over the source tokens, for outputs that repeat much of the input. Needs data.joint_vocabulary and attention
    /// (rnn: model.decoder.attention other than none; transformer: the last decoder layer's cross-attention, averaged
    /// over heads). No ONNX export.</summary>
    public bool CopyAttention { get; init; } = false;
    public TransformerConfig Transformer { get; init; } = new();
}

/// <summary>The Transformer (Vaswani et al. 2017) in its pre-norm form, used when model.type is <c>transformer</c>.</summary>
public sealed record TransformerConfig
{
    public int EncoderLayers { get; init; } = 3;
    public int DecoderLayers { get; init; } = 3;
    /// <summary>d_model: embeddings, attention and residual stream; a multiple of heads (and even).</summary>
    public int ModelSize { get; init; } = 256;
    public int Heads { get; init; } = 4;
    /// <summary>Inner size of each position-wise feed-forward block.</summary>
    public int FeedForwardSize { get; init; } = 1024;
    /// <summary>On embeddings + positions, on each sub-layer's output before the residual add, inside feed-forward blocks.</summary>
    public double Dropout { get; init; } = 0.1;
    /// <summary>On the attention probabilities.</summary>
    public double AttentionDropout { get; init; } = 0.1;
    /// <summary><c>sinusoidal</c> (fixed, any length) or <c>learned</c> (a table of max_positions per side).</summary>
    [Choices(typeof(PositionKinds))] public string Positions { get; init; } = PositionKinds.Sinusoidal;
    /// <summary>Learned positions: the longest source, and target + &lt;s&gt;, the model can embed.</summary>
    public int MaxPositions { get; init; } = 512;
    /// <summary>One embedding matrix for source and target (needs data.joint_vocabulary); with
    /// model.tie_target_embeddings also the output layer's.</summary>
    public bool ShareEmbeddings { get; init; } = false;
}

public sealed record EncoderConfig
{
    /// <summary><c>lstm</c>, <c>gru</c> or <c>cnn</c> (ConvS2S-style gated convolutions).</summary>
    [Choices(typeof(EncoderTypes))] public string Type { get; init; } = RnnCellTypes.Lstm;
    /// <summary>Output size; for a bidirectional encoder the total of both directions (must be even).</summary>
    public int HiddenSize { get; init; } = 512;
    public int Layers { get; init; } = 2;
    public bool Bidirectional { get; init; } = true;
    /// <summary>CNN encoder: convolution width (odd).</summary>
    public int KernelWidth { get; init; } = 3;
    /// <summary>CNN encoder: longest source it can embed (learned position embeddings).</summary>
    public int MaxPositions { get; init; } = 256;
}

public sealed record DecoderConfig
{
    /// <summary><c>lstm</c> or <c>gru</c>.</summary>
    [Choices(typeof(RnnCellTypes))] public string Type { get; init; } = RnnCellTypes.Lstm;
    public int HiddenSize { get; init; } = 512;
    public int Layers { get; init; } = 2;
    /// <summary><c>dot</c>, <c>general</c>, <c>concat</c> (Luong), <c>additive</c> (Bahdanau) or <c>none</c>.</summary>
    [Choices(typeof(AttentionScores))] public string Attention { get; init; } = AttentionScores.General;
    /// <summary><c>global</c> (all source positions), <c>local-m</c>, <c>local-p</c> (a window of ±local_window around an
    /// aligned position) or <c>hybrid</c> (a learned per-step mix of global and hybrid_local).</summary>
    [Choices(typeof(AttentionTypes))] public string AttentionType { get; init; } = AttentionTypes.Global;
    /// <summary>Half-width D of the local window.</summary>
    public int LocalWindow { get; init; } = 10;
    /// <summary>The local part of hybrid attention.</summary>
    [Choices(typeof(AttentionTypes), nameof(AttentionTypes.Local))] public string HybridLocal { get; init; } = AttentionTypes.LocalP;
    /// <summary>Feed the previous attentional vector into the next decoder step (Luong et al. 2015).</summary>
    public bool InputFeeding { get; init; } = true;
    /// <summary>Initialise the decoder state from the final encoder state (else zeros).</summary>
    public bool Bridge { get; init; } = true;
}

/// <summary>Optimisation, validation, stopping and checkpoints.</summary>
public sealed record TrainingConfig
{
    /// <summary>Batch size in target tokens: longest target (incl. &lt;/s&gt;) × sentences ≤ this.</summary>
    public int BatchTokens { get; init; } = 4096;
    public double LearningRate { get; init; } = 1e-3;
    public double AdamBeta1 { get; init; } = 0.9;
    public double AdamBeta2 { get; init; } = 0.999;
    public double WeightDecay { get; init; } = 0.0;
    public double LabelSmoothing { get; init; } = 0.1;
    /// <summary>Gradient-norm clipping threshold; 0 = off.</summary>
    public double ClipNorm { get; init; } = 1.0;
    /// <summary><c>plateau</c> (reduce on dev-loss plateau), <c>warmup</c> (linear warmup then inverse sqrt, peak
    /// learning_rate), <c>noam</c> (learning_rate × d^-0.5 × min(step^-0.5, step × warmup_steps^-1.5)), <c>constant</c>.</summary>
    [Choices(typeof(Schedules))] public string Schedule { get; init; } = Schedules.Plateau;
    public double PlateauFactor { get; init; } = 0.5;
    public int PlateauPatience { get; init; } = 2;
    public double MinLearningRate { get; init; } = 1e-5;
    public int WarmupSteps { get; init; } = 0;
    public int ValidateEvery { get; init; } = 200;
    /// <summary>Metric that picks the best checkpoint and drives early stopping: <c>loss</c>, <c>ppl</c>, <c>bleu</c>, <c>chrf</c>, <c>wer</c>.</summary>
    [Choices(typeof(BestMetrics))] public string BestMetric { get; init; } = BestMetrics.Loss;
    /// <summary>Stop after this many validations without improvement of best_metric; 0 = never.</summary>
    public int Patience { get; init; } = 0;
    public int MaxSteps { get; init; } = 0;
    public int MaxEpochs { get; init; } = 0;
    public double MaxMinutes { get; init; } = 0;
    public int Seed { get; init; } = 42;
    /// <summary>libtorch intra-op threads; 0 = number of cores.</summary>
    public int Threads { get; init; } = 0;
    /// <summary>Where the model and every tensor live: <c>cpu</c>, <c>cuda</c> (the first GPU) or <c>cuda:N</c>. CUDA needs a
    /// CUDA build of libtorch (README, "GPU"); the packages this project is built and tested with are CPU-only.</summary>
    [Pattern(DeviceNames.Pattern, DeviceNames.Expected)] public string Device { get; init; } = DeviceNames.Cpu;
    public int LogEvery { get; init; } = 20;
    /// <summary>How many of the newest checkpoints to keep beside the best one.</summary>
    public int KeepCheckpoints { get; init; } = 2;
    /// <summary>Exponential moving average of the weights, the decay per update: 0 = off; 0.999 averages about the last
    /// 1,000 updates. Validation, the best checkpoint and the test use the averaged weights; training continues on the raw ones.</summary>
    public double Ema { get; init; } = 0;
    /// <summary>Non-finite losses or gradients in a row (each update skipped) after which the run stops.</summary>
    public int MaxBadSteps { get; init; } = 5;
    /// <summary>When a checkpoint cannot be written (disk full, permissions): <c>stop</c>, or <c>continue</c> training
    /// with the older checkpoints left intact.</summary>
    [Choices("stop", "continue")] public string OnCheckpointError { get; init; } = "stop";
    /// <summary>Dev sentences decoded greedily at each validation for the dev BLEU/WER; 0 = all.</summary>
    public int DevDecodeSentences { get; init; } = 0;
    /// <summary>Also write TensorBoard event files (scalars and a dev attention image) to RUN_DIR/tensorboard.</summary>
    public bool Tensorboard { get; init; } = true;
    /// <summary>Data-parallel training over MPI (docs/distributed.md): <c>auto</c> when started by <c>mpirun</c> or another
    /// MPI launcher, else one process; <c>off</c>: always one process; <c>mpi</c>: always through MPI (Open MPI's libmpi).</summary>
    [Choices("auto", "off", "mpi")] public string Distributed { get; init; } = "auto";
}

/// <summary>Search settings for validation, test decoding and translate.</summary>
public sealed record DecodingConfig
{
    public int BeamSize { get; init; } = 5;
    /// <summary>GNMT length penalty exponent α: score = log P / ((5 + |y|) / 6)^α, |y| counting &lt;/s&gt; (beam search ranks by it;
    /// translate and the server report it for greedy output too); 0 = none.</summary>
    public double LengthPenalty { get; init; } = 1.0;
    /// <summary>When beam search ends a sentence (<see cref="BeamStops"/>): <c>exact</c> honours the length penalty,
    /// <c>early</c> stops sooner.</summary>
    [Choices(typeof(BeamStops))] public string BeamStop { get; init; } = BeamStops.Exact;
    /// <summary>Maximum output length = floor(max_length_ratio × source length + max_length_offset).</summary>
    public double MaxLengthRatio { get; init; } = 1.5;
    public double MaxLengthOffset { get; init; } = 10;
    /// <summary>Longer inputs to translate/serve are cut to this many tokens, with a warning (keeps decoding time bounded).</summary>
    public int MaxInputLength { get; init; } = 400;
    /// <summary>Sentences per decoding batch.</summary>
    public int BatchSize { get; init; } = 64;
    /// <summary>Test metric: <c>bleu</c> (sacreBLEU 13a + chrF) or <c>wer</c> (WER/PER grouped by source, for G2P).</summary>
    [Choices("bleu", "wer")] public string Metric { get; init; } = "bleu";
}
