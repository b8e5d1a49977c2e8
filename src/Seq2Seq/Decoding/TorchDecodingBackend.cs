using Seq2Seq.Data;
using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Decoding;

/// <summary>
/// A TorchSharp <see cref="Seq2SeqNetwork"/> as an <see cref="IDecodingBackend"/> (eval mode, no gradients), on the
/// network's device. A step computes log-softmax, top-k, log P(&lt;/s&gt;) and any requested tokens' log P on the
/// device and copies only those [rows, k] and [rows] results to the host, never the [rows, vocab] log-probabilities.
/// Teacher-forced scoring runs the decoder over whole targets at once (<see cref="Seq2SeqNetwork.Forward"/>).
/// </summary>
public sealed class TorchDecodingBackend(Seq2SeqNetwork network) : IDecodingBackend
{
    readonly Device device = network.Device;

    public Seq2SeqNetwork Network => network;

    public int MaxSourceLength => network.MaxSourceLength;

    public int MaxTargetLength => network.MaxTargetLength;

    public IDecodingState Encode(IReadOnlyList<int[]> sources)
    {
        network.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var batch = Batch.Create(sources, null, Enumerable.Range(0, sources.Count).ToArray(), device);
        var (memory, state) = network.Encode(batch.Source, batch.SourceLengths);
        return new TorchDecodingState(new TensorLedger(), memory, state, (int)batch.Source.shape[1]);
    }

    public DecodingStep Step(IReadOnlyList<long> previous, IDecodingState state, StepRequest request)
    {
        var s = (TorchDecodingState)state;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (logits, next, weights) = network.Step(tensor(previous.ToArray(), device: device), s.State, s.Memory);
        // NaN (broken weights) counts as an impossible token, so a search still ends.
        var logp = logits.log_softmax(-1).nan_to_num(double.NegativeInfinity, neginf: double.NegativeInfinity); // [rows, vocab]
        int rows = (int)logp.shape[0], vocab = (int)logp.shape[1], k = Math.Min(request.TopK, vocab);
        Tensor values, ids;
        if (k == 1)
        {
            ids = logp.argmax(-1, keepdim: true);                                 // [rows, 1]
            values = logp.gather(1, ids);
        }
        else (values, ids) = logp.topk(k, 1);                                     // [rows, k] each
        var columns = new List<Tensor> { values, logp.narrow(1, Vocabulary.Eos, 1) };
        if (request.Tokens is not null)
            columns.Add(logp.gather(1, tensor(request.Tokens.Select(t => (long)t).ToArray(), device: device).unsqueeze(1)));
        float[] host = cat(columns, 1).cpu().data<float>().ToArray();             // [rows, k + 1 (+ 1)]
        int width = columns.Count - 1 + k;
        var top = new float[rows * k];
        var eos = new float[rows];
        var tokens = request.Tokens is null ? null : new float[rows];
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(host, r * width, top, r * k, k);
            eos[r] = host[r * width + k];
            if (tokens is not null) tokens[r] = host[r * width + k + 1];
        }
        int[] topIds = ids.to_type(ScalarType.Int32).cpu().data<int>().ToArray();
        float[]? attention = request.Attention ? weights?.cpu().contiguous().data<float>().ToArray() : null; // [rows, srcLen]
        return new DecodingStep(k, top, topIds, eos, tokens, attention, s.SourceLength, null,
            new TorchDecodingState(s.Ledger, s.Memory, next, s.SourceLength));
    }

    public IReadOnlyList<SequenceScore> Score(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets, bool gates)
    {
        network.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var batch = Batch.Create(sources, targets, Enumerable.Range(0, sources.Count).ToArray(), device);
        var (logits, _, g) = network.Forward(batch.Source, batch.SourceLengths, batch.TargetIn!, returnWeights: gates); // [batch, tgtLen, V]
        var logp = logits.log_softmax(-1).gather(2, batch.TargetOut!.unsqueeze(2)).squeeze(2); // [batch, tgtLen]
        long tgtLen = logp.shape[1];
        float[] host = logp.cpu().data<float>().ToArray();
        float[]? hostGates = g?.cpu().data<float>().ToArray();                              // [batch × tgtLen]
        var output = new SequenceScore[sources.Count];
        for (int b = 0; b < sources.Count; b++)
        {
            int len = targets[b].Length + 1;
            var perToken = host.AsSpan((int)(b * tgtLen), len).ToArray();
            output[b] = new SequenceScore(perToken.Sum(x => (double)x), perToken, hostGates?.AsSpan((int)(b * tgtLen), len).ToArray());
        }
        return output;
    }
}

/// <summary>The network's memory and state tensors for a set of rows. States made from one another share tensors
/// (the memory, and whatever a step passes through unchanged), so each tensor is freed when the last state holding
/// it is disposed (<see cref="TensorLedger"/>), outside any dispose scope of the calls that made it.</summary>
public sealed class TorchDecodingState : IDecodingState
{
    bool disposed;

    internal TorchDecodingState(TensorLedger ledger, IDecoderRows memory, IDecoderRows state, int sourceLength)
    {
        (Ledger, Memory, State, SourceLength) = (ledger, memory, state, sourceLength);
        ledger.Hold(Tensors());
    }

    internal TensorLedger Ledger { get; }
    public IDecoderRows Memory { get; }
    public IDecoderRows State { get; }
    public int SourceLength { get; }

    public int Rows => (int)Memory.Tensors().First().shape[0];

    IEnumerable<Tensor> Tensors() => Memory.Tensors().Concat(State.Tensors());

    public IDecodingState SelectRows(IReadOnlyList<int> rows)
    {
        using var scope = NewDisposeScope();
        var index = Index(rows);
        return new TorchDecodingState(Ledger, Memory.Select(index), State.Select(index), SourceLength);
    }

    public IDecodingState Reorder(IReadOnlyList<int> rows)
    {
        using var scope = NewDisposeScope();
        return new TorchDecodingState(Ledger, Memory, State.Select(Index(rows)), SourceLength);
    }

    Tensor Index(IReadOnlyList<int> rows) => tensor(rows.Select(r => (long)r).ToArray(), device: Memory.Tensors().First().device);

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Ledger.Release(Tensors());
    }
}

/// <summary>Counts the live states holding each tensor of one search (by reference); a tensor leaves every dispose
/// scope when first held and is disposed when its count returns to zero.</summary>
sealed class TensorLedger
{
    readonly Dictionary<Tensor, int> holders = new(ReferenceEqualityComparer.Instance);

    public void Hold(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors)
        {
            if (holders.TryGetValue(t, out int n)) { holders[t] = n + 1; continue; }
            t.DetachFromDisposeScope();
            holders[t] = 1;
        }
    }

    public void Release(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors)
        {
            if (!holders.TryGetValue(t, out int n)) continue;
            if (n > 1) { holders[t] = n - 1; continue; }
            holders.Remove(t);
            t.Dispose();
        }
    }
}
