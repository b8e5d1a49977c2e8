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
    // The module's own per-layer weights (unidirectional stacks only), for the hand-written single-step path.
    readonly Tensor[] weightIh = [], weightHh = [], biasIh = [], biasHh = [];

    public RecurrentLayer(string type, long inputSize, long hiddenSize, int layers, bool bidirectional, double dropout)
        : base(nameof(RecurrentLayer))
    {
        this.layers = layers;
        this.dropout = layers > 1 ? dropout : 0.0;
        if (type == RnnCellTypes.Lstm) lstm = nn.LSTM(inputSize, hiddenSize, layers, batchFirst: true, dropout: this.dropout, bidirectional: bidirectional);
        else if (type == RnnCellTypes.Gru) gru = nn.GRU(inputSize, hiddenSize, layers, batchFirst: true, dropout: this.dropout, bidirectional: bidirectional);
        else throw new ArgumentException($"unknown RNN type '{type}' ({string.Join(", ", RnnCellTypes.All)})");
        IsLstm = lstm is not null;
        RegisterComponents();
        if (!bidirectional)
        {
            var named = ((nn.Module)lstm! ?? gru!).named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
            weightIh = Enumerable.Range(0, layers).Select(l => named[$"weight_ih_l{l}"]).ToArray();
            weightHh = Enumerable.Range(0, layers).Select(l => named[$"weight_hh_l{l}"]).ToArray();
            biasIh = Enumerable.Range(0, layers).Select(l => named[$"bias_ih_l{l}"]).ToArray();
            biasHh = Enumerable.Range(0, layers).Select(l => named[$"bias_hh_l{l}"]).ToArray();
        }
    }

    public bool IsLstm { get; }

    /// <summary>Per-batch arrangement of the weights for <see cref="Step"/> (part of the autograd graph).</summary>
    public sealed record StepWeights(Tensor[] Combined, Tensor[] Bias)
    {
        public IEnumerable<Tensor> Tensors() => Combined.Concat(Bias);
    }

    /// <summary>Arranges the weights once per batch: LSTM [W_ih W_hh] ([4·hidden, in + hidden]) and b_ih + b_hh per layer.</summary>
    public StepWeights PrepareSteps() => IsLstm
        ? new(Enumerable.Range(0, layers).Select(l => cat([weightIh[l], weightHh[l]], 1)).ToArray(),
              Enumerable.Range(0, layers).Select(l => biasIh[l] + biasHh[l]).ToArray())
        : new(Enumerable.Range(0, layers).Select(l => weightIh[l].t()).ToArray(), []);

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
                var gi = addmm(biasIh[l], x, w.Combined[l], 1, 1).chunk(3, 1);
                var gh = addmm(biasHh[l], h, weightHh[l].t(), 1, 1).chunk(3, 1);
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
