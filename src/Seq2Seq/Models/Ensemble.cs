using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// Several trained networks decoding as one: each step's output is the mean of the members' log-probabilities
/// (renormalised by the search's softmax, i.e. a normalised geometric mean of their distributions), and the attention
/// shown is the mean of the members' attention. The members must share the source and target vocabularies; they may
/// differ in architecture. Search and scoring need nothing else: memory and state hold one part per member.
/// </summary>
public sealed class Ensemble : Seq2SeqNetwork
{
    readonly Seq2SeqNetwork[] members;
    readonly long[] widths;

    /// <param name="members">The networks, each with its own decoder output width (<paramref name="hiddenSizes"/>).</param>
    public Ensemble(IReadOnlyList<Seq2SeqNetwork> members, IReadOnlyList<long> hiddenSizes) : base(nameof(Ensemble))
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one model");
        if (hiddenSizes.Count != members.Count) throw new ArgumentException("one hidden size per member");
        this.members = members.ToArray();
        widths = hiddenSizes.ToArray();
        // Registered, so eval() and Dispose() reach every member.
        for (int i = 0; i < this.members.Length; i++) register_module($"member{i}", this.members[i]);
    }

    public IReadOnlyList<Seq2SeqNetwork> Members => members;

    public override int MaxSourceLength => members.Min(m => m.MaxSourceLength);
    public override int MaxTargetLength => members.Min(m => m.MaxTargetLength);
    public override bool SharesMatrices => members.Any(m => m.SharesMatrices);

    public override (IDecoderRows Memory, IDecoderRows State) Encode(Tensor src, Tensor srcLengths)
    {
        var parts = members.Select(m => m.Encode(src, srcLengths)).ToArray();
        return (new Rows(parts.Select(p => p.Memory).ToArray()), new Rows(parts.Select(p => p.State).ToArray()));
    }

    /// <returns>Each member's output rows (<see cref="OutputRows.Members"/>, which <see cref="Output"/> reads), with their
    /// output vectors side by side [batch, tgtLen, Σ hidden], which <see cref="Logits"/> splits again; attention and
    /// gates are the members' means (null when no member has them).</returns>
    public override (OutputRows Output, Tensor? Weights, Tensor? Gates) Decode(Tensor targetIn, IDecoderRows memory, IDecoderRows state, bool returnWeights = false)
    {
        var m = (Rows)memory;
        var s = (Rows)state;
        var outputs = members.Select((net, i) => net.Decode(targetIn, m.Parts[i], s.Parts[i], returnWeights)).ToArray();
        var rows = new OutputRows(cat(outputs.Select(o => o.Output.Hidden).ToArray(), -1), Members: outputs.Select(o => o.Output).ToList());
        return (rows, Mean(outputs.Select(o => o.Weights)), Mean(outputs.Select(o => o.Gates)));
    }

    /// <returns>The mean of the members' log-probabilities [..., vocab], each from its own output layer (copy attention
    /// included).</returns>
    public override Tensor Output(OutputRows rows) => rows.Members is null ? Logits(rows.Hidden)
        : stack(members.Select((net, i) => net.Output(rows.Members[i]).log_softmax(-1)).ToArray()).mean([0]);

    /// <returns>The mean of the members' log-probabilities [batch, vocab], the next state, the mean attention.</returns>
    public override (Tensor Logits, IDecoderRows State, Tensor? Weights) Step(Tensor previous, IDecoderRows state, IDecoderRows memory)
    {
        var m = (Rows)memory;
        var s = (Rows)state;
        var steps = members.Select((net, i) => net.Step(previous, s.Parts[i], m.Parts[i])).ToArray();
        var logProbs = stack(steps.Select(o => o.Logits.log_softmax(-1)).ToArray()).mean([0]);   // [batch, vocab]
        return (logProbs, new Rows(steps.Select(o => o.State).ToArray()), Mean(steps.Select(o => o.Weights)));
    }

    /// <param name="hidden">[..., Σ hidden]: the members' output vectors side by side, as <see cref="Decode"/> gives them.</param>
    /// <returns>The mean of the members' vocabulary log-probabilities [..., vocab] (without copy attention, which needs
    /// the rows of <see cref="Output"/>).</returns>
    public override Tensor Logits(Tensor hidden)
    {
        var parts = hidden.split(widths, -1);
        return stack(members.Select((net, i) => net.Logits(parts[i]).log_softmax(-1)).ToArray()).mean([0]);
    }

    static Tensor? Mean(IEnumerable<Tensor?> tensors)
    {
        var present = tensors.OfType<Tensor>().ToArray();
        return present.Length == 0 ? null : stack(present).mean([0]);
    }

    /// <summary>One member's memory or state per part.</summary>
    sealed record Rows(IDecoderRows[] Parts) : IDecoderRows
    {
        public IDecoderRows Select(Tensor rows) => new Rows(Parts.Select(p => p.Select(rows)).ToArray());

        public IEnumerable<Tensor> Tensors() => Parts.SelectMany(p => p.Tensors());
    }
}
