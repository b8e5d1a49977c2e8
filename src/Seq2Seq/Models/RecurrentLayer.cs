using Seq2Seq.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.utils.rnn;

namespace Seq2Seq.Models;

/// <summary>Hidden state of a stack of LSTM or GRU layers: H (and C for LSTM), each [layers × directions, batch, hidden].</summary>
public sealed record RnnState(Tensor H, Tensor? C)
{
    /// <summary>Rows of the batch (dimension 1) in the given order, e.g. to reorder beams.</summary>
    public RnnState Select(Tensor rows) => new(H.index_select(1, rows), C?.index_select(1, rows));

    /// <summary>The tensors held (to keep them when a dispose scope is cleared between decoding steps).</summary>
    public IEnumerable<Tensor> Tensors() => C is null ? [H] : [H, C];
}

/// <summary>A multi-layer LSTM or GRU (batch first) behind one interface, so encoders and decoders take either.</summary>
public sealed class RecurrentLayer : nn.Module
{
    readonly LSTM? lstm;
    readonly GRU? gru;

    readonly int layers;
    readonly double dropout;
    readonly bool bidirectional;

    public RecurrentLayer(string type, long inputSize, long hiddenSize, int layers, bool bidirectional, double dropout)
        : base(nameof(RecurrentLayer))
    {
        this.layers = layers;
        this.dropout = layers > 1 ? dropout : 0.0;
        if (type == RnnCellTypes.Lstm) lstm = nn.LSTM(inputSize, hiddenSize, layers, batchFirst: true, dropout: this.dropout, bidirectional: bidirectional);
        else if (type == RnnCellTypes.Gru) gru = nn.GRU(inputSize, hiddenSize, layers, batchFirst: true, dropout: this.dropout, bidirectional: bidirectional);
        else throw new ArgumentException($"unknown RNN type '{type}' ({string.Join(", ", RnnCellTypes.All)})");
        IsLstm = lstm is not null;
        this.bidirectional = bidirectional;
        RegisterComponents();
    }

    /// <summary>The RNN module's own weight of one kind (e.g. <c>weight_ih</c>) per layer, for the hand-written step.
    /// Looked up per batch rather than kept, since moving the module to a device (<c>Module.to</c>) replaces the
    /// parameter objects.</summary>
    Tensor[] LayerWeights(string kind)
    {
        if (bidirectional) throw new InvalidOperationException("the single-step path is for unidirectional stacks");
        var rnn = (nn.Module)lstm! ?? gru!;
        return Enumerable.Range(0, layers).Select(l => (Tensor)rnn.get_parameter($"{kind}_l{l}")!).ToArray();
    }

    public bool IsLstm { get; }

    /// <summary>Per-batch arrangement of the weights for <see cref="Step"/> (part of the autograd graph); GRU keeps the
    /// hidden-to-hidden weights and biases apart (<paramref name="Hidden"/>, <paramref name="HiddenBias"/>).</summary>
    public sealed record StepWeights(Tensor[] Combined, Tensor[] Bias, Tensor[]? Hidden = null, Tensor[]? HiddenBias = null)
    {
        public IEnumerable<Tensor> Tensors() => Combined.Concat(Bias).Concat(Hidden ?? []).Concat(HiddenBias ?? []);
    }

    /// <summary>Arranges the weights once per batch: LSTM [W_ih W_hh] ([4·hidden, in + hidden]) and b_ih + b_hh per layer;
    /// GRU W_ihᵀ, b_ih, W_hhᵀ and b_hh per layer.</summary>
    public StepWeights PrepareSteps()
    {
        var weightIh = LayerWeights("weight_ih");
        var (weightHh, biasIh, biasHh) = (LayerWeights("weight_hh"), LayerWeights("bias_ih"), LayerWeights("bias_hh"));
        // Views, not the parameters themselves: the searches keep these tensors in their dispose scopes, which dispose
        // them at the end of a batch.
        if (!IsLstm)
            return new(weightIh.Select(w => w.t()).ToArray(), biasIh.Select(b => b.alias()).ToArray(),
                       weightHh.Select(w => w.t()).ToArray(), biasHh.Select(b => b.alias()).ToArray());
        return new(Enumerable.Range(0, layers).Select(l => cat([weightIh[l], weightHh[l]], 1)).ToArray(),
                   Enumerable.Range(0, layers).Select(l => biasIh[l] + biasHh[l]).ToArray());
    }

    /// <summary>
    /// One time step through all layers, written out by hand: one matrix multiply per layer ([x; h] · [W_ih W_hh]ᵀ)
    /// instead of a general RNN call per step, which is what makes the input-feeding loop fast. Same parameters and
    /// equations as <see cref="Forward"/> (PyTorch gate order i, f, g, o for LSTM; r, z, n for GRU).
    /// </summary>
    /// <param name="x">Input [batch, in].</param>
    /// <returns>top-layer output [batch, hidden] and the new state.</returns>
    public (Tensor Output, RnnState State) Step(Tensor x, RnnState state, StepWeights w)
    {
        var hs = new Tensor[layers];
        var cs = IsLstm ? new Tensor[layers] : null;
        for (int l = 0; l < layers; l++)
        {
            if (l > 0 && dropout > 0) x = nn.functional.dropout(x, dropout, training);
            var h = state.H[l];                                                   // [batch, hidden]
            if (cs is not null)
            {
                var gates = FewRowLinear.Apply(cat([x, h], 1), w.Combined[l], w.Bias[l]).chunk(4, 1);  // [batch, 4·hidden] as 4 views
                var c = gates[1].sigmoid() * state.C![l] + gates[0].sigmoid() * gates[2].tanh();
                cs[l] = c;
                hs[l] = gates[3].sigmoid() * c.tanh();
            }
            else
            {
                var gi = addmm(w.Bias[l], x, w.Combined[l], 1, 1).chunk(3, 1);
                var gh = addmm(w.HiddenBias![l], h, w.Hidden![l], 1, 1).chunk(3, 1);
                var r = (gi[0] + gh[0]).sigmoid();
                var z = (gi[1] + gh[1]).sigmoid();
                var n = (gi[2] + r * gh[2]).tanh();
                hs[l] = n + z * (h - n);
            }
            x = hs[l];
        }
        return (x, new RnnState(stack(hs), cs is null ? null : stack(cs)));
    }

    /// <summary>Runs padded input [batch, time, in] from <paramref name="state"/> (zeros when null) → output [batch, time, hidden·dirs].</summary>
    public (Tensor Output, RnnState State) Forward(Tensor input, RnnState? state)
    {
        if (lstm is not null)
        {
            var (o, h, c) = lstm.call(input, state is null ? null : (state.H, state.C!));
            return (o, new RnnState(h, c));
        }
        var (go, gh) = gru!.call(input, state?.H);
        return (go, new RnnState(gh, null));
    }

    /// <summary>Runs a packed batch (padding skipped) → padded output [batch, totalLength, hidden·dirs] and final state.</summary>
    public (Tensor Output, RnnState State) ForwardPacked(Tensor input, Tensor lengths, long totalLength)
    {
        using var packed = pack_padded_sequence(input, lengths, batch_first: true, enforce_sorted: false);
        PackedSequence outPacked;
        RnnState state;
        if (lstm is not null)
        {
            var (o, h, c) = lstm.call(packed);
            outPacked = o;
            state = new RnnState(h, c);
        }
        else
        {
            var (o, h) = gru!.call(packed);
            outPacked = o;
            state = new RnnState(h, null);
        }
        using (outPacked)
        {
            var (padded, _) = pad_packed_sequence(outPacked, batch_first: true, total_length: totalLength);
            return (padded, state);
        }
    }
}
