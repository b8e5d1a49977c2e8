using Seq2Seq.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>Decoder state between steps: the RNN state, the last attentional vector [batch, 1, hidden] and the number
/// of target steps done (local-m attention aligns step t with source position t).</summary>
public sealed record DecoderState(RnnState Rnn, Tensor Attentional, int Time = 0) : IDecoderRows
{
    public DecoderState Select(Tensor rows) => new(Rnn.Select(rows), Attentional.index_select(0, rows), Time);

    IDecoderRows IDecoderRows.Select(Tensor rows) => Select(rows);

    public IEnumerable<Tensor> Tensors() => Rnn.Tensors().Append(Attentional);
}

/// <summary>The encoder output plus what the attention precomputes from it once per batch.</summary>
/// <param name="Keys">Projected encoder states [batch, srcLen, hidden] (null without attention).</param>
/// <param name="StepWeights">The decoder RNN's weights arranged for single steps (once per batch).</param>
/// <param name="Source">Copy attention: the source ids [batch, srcLen] the attention copies from (null without it).</param>
public sealed record DecoderMemory(EncoderOutput Encoder, Tensor? Keys, RecurrentLayer.StepWeights StepWeights, Tensor? Source = null) : IDecoderRows
{
    public DecoderMemory Select(Tensor rows) => new(Encoder.Select(rows), Keys?.index_select(0, rows), StepWeights, Source?.index_select(0, rows));

    IDecoderRows IDecoderRows.Select(Tensor rows) => Select(rows);

    public IEnumerable<Tensor> Tensors() => Encoder.Tensors().Concat(StepWeights.Tensors())
        .Concat(Keys is null ? [] : [Keys]).Concat(Source is null ? [] : [Source]);
}

/// <summary>
/// LSTM/GRU decoder with attention. Luong flow (dot/general/concat): o_t = RNN([emb(y_t−1); att_t−1]) (input feeding
/// optional), c_t = attend(o_t), att_t = tanh(W_c [o_t; c_t]). Bahdanau flow (additive): c_t = attend(h_t−1),
/// o_t = RNN([emb(y_t−1); c_t]), att_t = tanh(W_c [o_t; c_t]). Without attention (none) c_t is the fixed final encoder
/// state. logits_t = W_o dropout(att_t). With copy attention the output distribution mixes softmax(logits_t) with
/// the attention over the source ids through a gate g_t = σ(w · [c_t; o_t; emb(y_t−1)] + b) (<see cref="PointerGenerator"/>).
/// </summary>
public sealed class RnnDecoder : nn.Module
{
    readonly Embedding embed;
    readonly RecurrentLayer rnn;
    readonly IAttention? attention;
    readonly Linear attentionLayer;
    readonly Linear? bridgeH;
    readonly Linear? bridgeC;
    readonly Dropout dropout;
    readonly Linear output;
    readonly CopyGate? copyGate;
    readonly bool inputFeeding;
    readonly bool bahdanau;
    readonly int hidden;
    readonly int layers;

    /// <param name="copyAttention">Mix the output distribution with the attention over the source ids (needs attention;
    /// the caller sees to a joint vocabulary).</param>
    public RnnDecoder(DecoderConfig config, int vocabSize, int embeddingSize, int encoderSize, double dropoutRate, bool tieEmbeddings,
        bool copyAttention = false)
        : base(nameof(RnnDecoder))
    {
        hidden = config.HiddenSize;
        layers = config.Layers;
        bahdanau = config.Attention == AttentionScores.Additive;
        inputFeeding = config.InputFeeding && !bahdanau;
        int rnnInput = embeddingSize + (bahdanau ? encoderSize : inputFeeding ? hidden : 0);
        embed = nn.Embedding(vocabSize, embeddingSize, padding_idx: Data.Vocabulary.Pad);
        rnn = new RecurrentLayer(config.Type, rnnInput, hidden, layers, bidirectional: false, dropoutRate);
        attention = AttentionFor(config, hidden, encoderSize);
        attentionLayer = nn.Linear(hidden + encoderSize, hidden);
        if (config.Bridge)
        {
            bridgeH = nn.Linear(encoderSize, hidden);
            if (rnn.IsLstm) bridgeC = nn.Linear(encoderSize, hidden);
        }
        if (copyAttention)
        {
            if (attention is null)
                throw new ArgumentException("model.copy_attention copies through the attention: it needs model.decoder.attention other than none");
            copyGate = new CopyGate(encoderSize + hidden + embeddingSize);
        }
        dropout = nn.Dropout(dropoutRate);
        output = nn.Linear(hidden, vocabSize);
        if (tieEmbeddings)
        {
            if (embeddingSize != hidden)
                throw new ArgumentException($"model.tie_target_embeddings needs model.embedding_size ({embeddingSize}) == model.decoder.hidden_size ({hidden})");
            // embed.weight wraps the native tensor anew on each call (a new handle), and parameters() drops repeats by
            // handle only: the output layer takes the very Parameter the embedding registered, so the optimiser,
            // gradient clipping and ParameterCount see the matrix once (state_dict still names it under both modules).
            output.weight = embed.get_parameter("weight")!;
        }
        RegisterComponents();
    }

    static IAttention? AttentionFor(DecoderConfig c, int hidden, int encoderSize)
    {
        if (c.Attention == AttentionScores.None) return null;
        if (c.AttentionType != AttentionTypes.Global && c.Attention == AttentionScores.Additive)
            throw new ArgumentException("local and hybrid attention take the dot, general or concat score (model.decoder.attention)");
        return c.AttentionType switch
        {
            AttentionTypes.Global => new GlobalAttention(c.Attention, hidden, encoderSize),
            AttentionTypes.Hybrid => new HybridAttention(c.HybridLocal, c.Attention, hidden, encoderSize, c.LocalWindow),
            _ => new LocalAttention(c.AttentionType, c.Attention, hidden, encoderSize, c.LocalWindow),
        };
    }

    /// <summary>Precomputes the attention keys for a batch; copy attention keeps the source ids [batch, srcLen].</summary>
    public DecoderMemory Prepare(EncoderOutput encoder, Tensor source) =>
        new(encoder, attention?.Keys(encoder.States), rnn.PrepareSteps(), copyGate is null ? null : source);

    /// <summary>Initial state: bridged from the final encoder state (tanh(W h) for h, W c for c) or zeros.</summary>
    public DecoderState InitialState(EncoderOutput encoder)
    {
        long batch = encoder.States.shape[0];
        Tensor h, c;
        if (bridgeH is not null)
        {
            h = bridgeH.call(encoder.FinalH).tanh();                             // [batch, hidden]
            c = bridgeC is not null ? bridgeC.call(encoder.FinalC ?? encoder.FinalH) : zeros_like(h);
        }
        else
        {
            h = zeros(batch, hidden, device: encoder.States.device);
            c = zeros(batch, hidden, device: encoder.States.device);
        }
        var hs = h.unsqueeze(0).repeat(layers, 1, 1);                            // [layers, batch, hidden]
        var cs = rnn.IsLstm ? c.unsqueeze(0).repeat(layers, 1, 1) : null;
        return new DecoderState(new RnnState(hs, cs), zeros(batch, 1, hidden, device: encoder.States.device));
    }

    /// <summary>Output-layer logits [..., vocab] of attentional vectors [..., hidden].</summary>
    public Tensor Logits(Tensor attentional) => output.call(attentional);

    /// <summary>Teacher-forced decoding of a whole target prefix, up to (not including) the output layer.</summary>
    /// <param name="targetIn">&lt;s&gt; + target ids [batch, tgtLen].</param>
    /// <returns>attentional vectors [batch, tgtLen, hidden] with copy attention's inputs, and, when asked, attention
    /// weights [batch, tgtLen, srcLen] and hybrid gate values [batch, tgtLen].</returns>
    public (OutputRows Output, Tensor? Weights, Tensor? Gates) Forward(Tensor targetIn, DecoderMemory memory, DecoderState state, bool returnWeights = false)
    {
        var emb = dropout.call(embed.call(targetIn));                            // [batch, tgtLen, emb]
        if (!inputFeeding && !bahdanau)
        {
            // No recurrence through the attention: one RNN call and one batched attention over all positions.
            var (o, _) = rnn.Forward(emb, state.Rnn);                            // [batch, tgtLen, hidden]
            var (att, a) = Attend(o, memory, state.Time);                        // [batch, tgtLen, hidden]
            var copy = copyGate is null ? null : Copy(copyGate.Forward(a!.Context, o, emb), a.Weights, memory);
            return (new OutputRows(att, copy), returnWeights ? a?.Weights : null, returnWeights ? a?.Gate : null);
        }
        var steps = new List<Tensor>();
        var weights = new List<Tensor>();
        var gates = new List<Tensor>();
        var copyGates = new List<Tensor>();
        foreach (var embT in emb.split(1, 1))                                    // [batch, 1, emb] each
        {
            var (next, a, o) = StepCore(embT, state, memory);
            state = next;
            steps.Add(state.Attentional);
            if ((returnWeights || copyGate is not null) && a is not null)
            {
                weights.Add(a.Weights);
                if (a.Gate is not null) gates.Add(a.Gate);
            }
            if (copyGate is not null) copyGates.Add(copyGate.Forward(a!.Context, o, embT)); // [batch, 1, 1]
        }
        var allWeights = weights.Count > 0 ? cat(weights, 1) : null;             // [batch, tgtLen, srcLen]
        var copyInputs = copyGate is null ? null : Copy(cat(copyGates, 1), allWeights!, memory);
        return (new OutputRows(cat(steps, 1), copyInputs), returnWeights ? allWeights : null,
            returnWeights && gates.Count > 0 ? cat(gates, 1) : null);
    }

    // gate [batch, tgtLen, 1], weights [batch, tgtLen, srcLen] → copy inputs with the source ids at every position
    static CopyInputs Copy(Tensor gate, Tensor weights, DecoderMemory memory) =>
        new(gate, weights, memory.Source!.unsqueeze(1).expand(weights.shape[0], weights.shape[1], -1));

    /// <summary>One inference step from the previous tokens <paramref name="previous"/> [batch].</summary>
    /// <returns>logits [batch, vocab] (with copy attention log P, <see cref="PointerGenerator"/>), the new state,
    /// attention weights [batch, srcLen] (null without attention).</returns>
    public (Tensor Logits, DecoderState State, Tensor? Weights) Step(Tensor previous, DecoderState state, DecoderMemory memory)
    {
        var embT = dropout.call(embed.call(previous.unsqueeze(1)));              // [batch, 1, emb]
        var (next, a, o) = StepCore(embT, state, memory);
        var logits = FewRowLinear.Apply(next.Attentional.squeeze(1), output.weight!, output.bias).contiguous(); // [batch, vocab]
        var weights = a?.Weights.squeeze(1);                                     // [batch, srcLen]
        if (copyGate is null) return (logits, next, weights);
        var gate = copyGate.Forward(a!.Context, o, embT).squeeze(1);             // [batch, 1]
        return (PointerGenerator.LogProbs(logits, new CopyInputs(gate, weights!, memory.Source!)), next, weights);
    }

    // One decoder step: the new state, the attention's output, the RNN output o_t [batch, 1, hidden].
    (DecoderState State, AttentionOutput? Attention, Tensor Output) StepCore(Tensor embT, DecoderState state, DecoderMemory memory)
    {
        var emb = embT.squeeze(1);                                               // [batch, emb]
        if (bahdanau)
        {
            var query = state.Rnn.H[layers - 1].unsqueeze(1);                    // [batch, 1, hidden]
            var a = attention!.Forward(query, memory.Keys!, memory.Encoder.States, memory.Encoder.Mask, state.Time);
            var (o, rnnState) = rnn.Step(cat([emb, a.Context.squeeze(1)], -1), state.Rnn, memory.StepWeights); // [batch, hidden]
            var att = dropout.call(attentionLayer.call(cat([o.unsqueeze(1), a.Context], -1)).tanh());
            return (new DecoderState(rnnState, att, state.Time + 1), a, o.unsqueeze(1));
        }
        var x = inputFeeding ? cat([emb, state.Attentional.squeeze(1)], -1) : emb; // [batch, emb (+hidden)]
        var (out1, next) = rnn.Step(x, state.Rnn, memory.StepWeights);           // [batch, hidden]
        var (attT, attention1) = Attend(out1.unsqueeze(1), memory, state.Time);
        return (new DecoderState(next, attT, state.Time + 1), attention1, out1.unsqueeze(1));
    }

    // o: [batch, T, hidden] (target steps firstStep …) → attentional vectors [batch, T, hidden] and the attention's output
    (Tensor Attentional, AttentionOutput? Attention) Attend(Tensor o, DecoderMemory memory, int firstStep)
    {
        AttentionOutput? a = null;
        Tensor ctx;
        if (attention is not null)
        {
            a = attention.Forward(o, memory.Keys!, memory.Encoder.States, memory.Encoder.Mask, firstStep);
            ctx = a.Context;
        }
        else
            ctx = memory.Encoder.FinalH.unsqueeze(1).expand(o.shape[0], o.shape[1], -1); // fixed context
        return (dropout.call(attentionLayer.call(cat([o, ctx], -1)).tanh()), a);
    }
}
