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
}

/// <summary>A multi-layer LSTM or GRU (batch first) behind one interface, so encoders and decoders take either.</summary>
public sealed class RecurrentLayer : nn.Module
{
    readonly LSTM? lstm;
    readonly GRU? gru;

    public RecurrentLayer(string type, long inputSize, long hiddenSize, int layers, bool bidirectional, double dropout)
        : base(nameof(RecurrentLayer))
    {
        double between = layers > 1 ? dropout : 0.0;
        if (type == "lstm") lstm = nn.LSTM(inputSize, hiddenSize, layers, batchFirst: true, dropout: between, bidirectional: bidirectional);
        else if (type == "gru") gru = nn.GRU(inputSize, hiddenSize, layers, batchFirst: true, dropout: between, bidirectional: bidirectional);
        else throw new ArgumentException($"unknown RNN type '{type}' (lstm or gru)");
        IsLstm = lstm is not null;
        RegisterComponents();
    }

    public bool IsLstm { get; }

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
