using Seq2Seq.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// The Transformer encoder–decoder (Vaswani et al. 2017) in its pre-norm form (layer normalisation before each
/// sub-layer, one more after each stack): token embeddings × √d plus sinusoidal or learned positions, encoder layers
/// of self-attention and feed-forward blocks, decoder layers adding cross-attention over the encoder output, a
/// linear output layer. Source and target may share one embedding matrix (a joint vocabulary), and the target
/// embeddings may be the output layer's weights. Search steps reuse each decoder layer's cached self-attention keys
/// and values and the cross-attention keys and values computed once in <see cref="Encode"/>. The attention weights
/// it reports are the last decoder layer's cross-attention, averaged over heads. With copy attention those weights
/// are also what the output distribution copies with, through a gate g_t = σ(w · [output_t; input_t] + b) on the
/// decoder's output vector and its input (embedding and position) at that step (<see cref="PointerGenerator"/>).
/// </summary>
public sealed class Transformer : Seq2SeqNetwork
{
    // Plain parameters rather than Embedding/Linear modules, so that sharing means one Parameter object: the
    // optimiser and the parameter count then see a shared matrix once.
    readonly Parameter sourceEmbedding;                                          // [srcVocab, model]
    readonly Parameter targetEmbedding;                                          // [tgtVocab, model]
    readonly Parameter outputWeight;                                             // [tgtVocab, model]
    readonly Parameter outputBias;                                               // [tgtVocab]
    readonly PositionEmbedding sourcePositions;
    readonly PositionEmbedding targetPositions;
    readonly ModuleList<TransformerEncoderLayer> encoderLayers = new();
    readonly LayerNorm encoderNorm;
    readonly ModuleList<TransformerDecoderLayer> decoderLayers = new();
    readonly LayerNorm decoderNorm;
    readonly Dropout dropout;
    readonly CopyGate? copyGate;
    readonly int modelSize;
    readonly int heads;
    readonly double embedScale;

    /// <param name="copyAttention">Mix the output distribution with the cross-attention over the source ids (the caller
    /// sees to a joint vocabulary).</param>
    /// <exception cref="ArgumentException">A setting is out of range (the message names the key).</exception>
    public Transformer(TransformerConfig config, int sourceVocab, int targetVocab, bool tieTargetEmbeddings, bool copyAttention = false)
        : base(nameof(Transformer))
    {
        Validate(config);
        if (config.ShareEmbeddings && sourceVocab != targetVocab)
            throw new ArgumentException($"model.transformer.share_embeddings needs one vocabulary for both sides (data.joint_vocabulary: true); the source vocabulary has {sourceVocab} entries, the target {targetVocab}");
        modelSize = config.ModelSize;
        heads = config.Heads;
        embedScale = Math.Sqrt(modelSize);
        targetEmbedding = EmbeddingMatrix(targetVocab, modelSize);
        sourceEmbedding = config.ShareEmbeddings ? targetEmbedding : EmbeddingMatrix(sourceVocab, modelSize);
        outputWeight = tieTargetEmbeddings ? targetEmbedding : EmbeddingMatrix(targetVocab, modelSize);
        outputBias = nn.Parameter(zeros(targetVocab));
        sourcePositions = new PositionEmbedding(config.Positions, modelSize, config.MaxPositions);
        targetPositions = new PositionEmbedding(config.Positions, modelSize, config.MaxPositions);
        for (int i = 0; i < config.EncoderLayers; i++)
            encoderLayers.Add(new TransformerEncoderLayer(modelSize, heads, config.FeedForwardSize, config.Dropout, config.AttentionDropout));
        encoderNorm = nn.LayerNorm(modelSize);
        for (int i = 0; i < config.DecoderLayers; i++)
            decoderLayers.Add(new TransformerDecoderLayer(modelSize, heads, config.FeedForwardSize, config.Dropout, config.AttentionDropout));
        decoderNorm = nn.LayerNorm(modelSize);
        dropout = nn.Dropout(config.Dropout);
        if (copyAttention) copyGate = new CopyGate(2 * modelSize);
        RegisterComponents();
    }

    public override bool SharesMatrices =>
        ReferenceEquals(sourceEmbedding, targetEmbedding) || ReferenceEquals(outputWeight, targetEmbedding);

    /// <summary>Checks the settings' ranges (a run calls this before it reads any data).</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names the key.</exception>
    public static void Validate(TransformerConfig c)
    {
        void Require(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Require(c.EncoderLayers >= 1, $"model.transformer.encoder_layers must be at least 1; got {c.EncoderLayers}");
        Require(c.DecoderLayers >= 1, $"model.transformer.decoder_layers must be at least 1; got {c.DecoderLayers}");
        Require(c.Heads >= 1, $"model.transformer.heads must be at least 1; got {c.Heads}");
        Require(c.ModelSize >= 2 && c.ModelSize % 2 == 0, $"model.transformer.model_size must be even and positive; got {c.ModelSize}");
        Require(c.ModelSize % c.Heads == 0, $"model.transformer.model_size ({c.ModelSize}) must be a multiple of model.transformer.heads ({c.Heads})");
        Require(c.FeedForwardSize >= 1, $"model.transformer.feed_forward_size must be at least 1; got {c.FeedForwardSize}");
        Require(c.Dropout is >= 0 and < 1, $"model.transformer.dropout must be in [0, 1); got {c.Dropout}");
        Require(c.AttentionDropout is >= 0 and < 1, $"model.transformer.attention_dropout must be in [0, 1); got {c.AttentionDropout}");
        Require(c.MaxPositions >= 2, $"model.transformer.max_positions must be at least 2; got {c.MaxPositions}");
    }

    // N(0, d^-0.5) so that embeddings × √d have unit variance; the <pad> row starts at zero.
    static Parameter EmbeddingMatrix(int vocab, int size)
    {
        var w = normal(0, Math.Pow(size, -0.5), [vocab, size]);
        w[Data.Vocabulary.Pad].zero_();
        return nn.Parameter(w);
    }

    public override int MaxSourceLength => sourcePositions.MaxPositions;

    // The input at step t sits at position t (position 0 is <s>), and a search decodes up to t = limit.
    public override int MaxTargetLength => targetPositions.MaxPositions == int.MaxValue ? int.MaxValue : targetPositions.MaxPositions - 1;

    // ids [batch, len] at positions first … → dropout(emb · √d + positions) [batch, len, model]
    Tensor Embed(Parameter embedding, PositionEmbedding positions, Tensor ids, long first)
    {
        var tokens = embedding.index_select(0, ids.reshape(-1)).view(ids.shape[0], ids.shape[1], modelSize);
        return dropout.call(tokens * embedScale + positions.Forward(first, ids.shape[1], ids.device));
    }

    /// <summary>Runs the encoder stack; the memory holds each decoder layer's cross-attention keys and values.</summary>
    public override (IDecoderRows Memory, IDecoderRows State) Encode(Tensor src, Tensor srcLengths)
    {
        long batch = src.shape[0], srcLen = src.shape[1];
        var padding = LengthMask.Of(srcLengths, srcLen, src.device).logical_not().view(batch, 1, 1, srcLen);   // [batch, 1, 1, srcLen]
        var x = Embed(sourceEmbedding, sourcePositions, src, 0);                     // [batch, srcLen, model]
        foreach (var layer in encoderLayers) x = layer.Forward(x, padding);
        x = encoderNorm.call(x);                                                 // [batch, srcLen, model]
        var cross = decoderLayers.Select(l => l.CrossKeysValues(x)).ToList();    // [batch, heads, srcLen, headSize] each
        var empty = zeros(batch, heads, 0, modelSize / heads, device: src.device);
        var state = new TransformerState(decoderLayers.Select(_ => new KeyValues(empty, empty)).ToList(), 0);
        return (new TransformerMemory(cross, padding, copyGate is null ? null : src), state);
    }

    public override (OutputRows Output, Tensor? Weights, Tensor? Gates) Decode(Tensor targetIn, IDecoderRows memory, IDecoderRows state, bool returnWeights = false)
    {
        var m = (TransformerMemory)memory;
        var (hidden, _, weights, input) = Run(targetIn, m, (TransformerState)state, returnWeights || copyGate is not null);
        CopyInputs? copy = null;
        if (copyGate is not null)
        {
            var source = m.Source!.unsqueeze(1).expand(weights!.shape[0], weights.shape[1], -1);   // [batch, tgtLen, srcLen]
            copy = new CopyInputs(copyGate.Forward(hidden, input), weights, source);               // gate [batch, tgtLen, 1]
        }
        return (new OutputRows(hidden, copy), returnWeights ? weights : null, null);
    }

    /// <returns>logits [batch, vocab] (with copy attention log P, <see cref="PointerGenerator"/>), the next state, the
    /// cross-attention [batch, srcLen].</returns>
    public override (Tensor Logits, IDecoderRows State, Tensor? Weights) Step(Tensor previous, IDecoderRows state, IDecoderRows memory)
    {
        var m = (TransformerMemory)memory;
        var (hidden, next, weights, input) = Run(previous.unsqueeze(1), m, (TransformerState)state, returnWeights: true);
        var h = hidden.squeeze(1);                                               // [batch, model]
        var w = weights!.squeeze(1);                                             // [batch, srcLen]
        if (copyGate is null) return (Logits(h), next, w);
        var copy = new CopyInputs(copyGate.Forward(h, input.squeeze(1)), w, m.Source!);      // gate [batch, 1]
        return (PointerGenerator.LogProbs(Logits(h), copy), next, w);
    }

    public override Tensor Logits(Tensor hidden) => nn.functional.linear(hidden, outputWeight, outputBias);

    /// <summary>The decoder stack over target ids [batch, tgtLen] at positions state.Time …, attending to the cached
    /// positions and causally among the new ones.</summary>
    /// <returns>outputs [batch, tgtLen, model], the state with the new positions cached, (when asked) the last
    /// layer's cross-attention averaged over heads [batch, tgtLen, srcLen], and the decoder's input [batch, tgtLen, model].</returns>
    (Tensor Hidden, TransformerState State, Tensor? Weights, Tensor Input) Run(Tensor targetIn, TransformerMemory memory, TransformerState state, bool returnWeights)
    {
        long tgtLen = targetIn.shape[1];
        var input = Embed(targetEmbedding, targetPositions, targetIn, state.Time);  // [batch, tgtLen, model]
        var x = input;
        // New position i (absolute Time + i) sees the cached positions and new positions up to its own.
        var causal = tgtLen == 1 ? null
            : ones(tgtLen, state.Time + tgtLen, dtype: ScalarType.Bool, device: targetIn.device).triu(state.Time + 1); // [tgtLen, Time + tgtLen]
        var caches = new List<KeyValues>(decoderLayers.Count);
        Tensor? probs = null;
        for (int l = 0; l < decoderLayers.Count; l++)
        {
            (x, var cache, probs) = decoderLayers[l].Forward(x, state.Self[l], causal, memory.Cross[l], memory.Padding);
            caches.Add(cache);
        }
        var weights = returnWeights ? probs!.mean([1]) : null;                   // [batch, tgtLen, srcLen]
        return (decoderNorm.call(x), new TransformerState(caches, state.Time + (int)tgtLen), weights, input);
    }
}
