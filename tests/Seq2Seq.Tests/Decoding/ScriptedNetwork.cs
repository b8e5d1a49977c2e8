using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Decoding;

/// <summary>
/// A stand-in model whose next-token logits are a fixed function of the output position and the previous token
/// (the source is ignored), so a test can set up exactly the distributions a search must handle. Search
/// (<see cref="Step"/>) and teacher-forced scoring (<see cref="Decode"/>) read the same table.
/// </summary>
sealed class ScriptedNetwork : Seq2SeqNetwork
{
    readonly Tensor table;   // [positions · vocab (previous token), vocab (next token)]
    readonly int positions, vocab;

    /// <param name="logits">logits[position, previous token] = the next-token logits (one row per vocabulary entry);
    /// positions past the table's end reuse its last one.</param>
    public ScriptedNetwork(float[][][] logits) : base("scripted")
    {
        positions = logits.Length;
        vocab = logits[0].Length;
        table = tensor(logits.SelectMany(p => p.SelectMany(row => row)).ToArray(), [positions * vocab, vocab]);
    }

    sealed class Rows(Tensor values) : IDecoderRows
    {
        public Tensor Values { get; } = values;
        public IDecoderRows Select(Tensor rows) => new Rows(Values.index_select(0, rows));
        public IEnumerable<Tensor> Tensors() => [Values];
    }

    // Memory: unused; state: the output position of each row.
    public override (IDecoderRows Memory, IDecoderRows State) Encode(Tensor src, Tensor srcLengths) =>
        (new Rows(zeros(src.shape[0])), new Rows(zeros(src.shape[0], dtype: ScalarType.Int64)));

    public override (Tensor Logits, IDecoderRows State, Tensor? Weights) Step(Tensor previous, IDecoderRows state, IDecoderRows memory)
    {
        var position = ((Rows)state).Values;                                          // [rows]
        var logits = table.index_select(0, position.clamp_max(positions - 1) * vocab + previous); // [rows, vocab]
        return (logits, new Rows(position + 1), null);
    }

    public override (OutputRows Output, Tensor? Weights, Tensor? Gates) Decode(Tensor targetIn, IDecoderRows memory, IDecoderRows state, bool returnWeights = false)
    {
        long batch = targetIn.shape[0], length = targetIn.shape[1];
        var position = arange(length, dtype: ScalarType.Int64).clamp_max(positions - 1).unsqueeze(0).expand(batch, length); // [batch, tgtLen]
        var rows = (position * vocab + targetIn).reshape(-1);
        return (new OutputRows(table.index_select(0, rows).view(batch, length, vocab)), null, null);   // [batch, tgtLen, vocab]
    }

    public override Tensor Logits(Tensor hidden) => hidden;
}
