using Seq2Seq.Configuration;
using Seq2Seq.Models;

namespace Seq2Seq.Training;

/// <summary>
/// The longest dev/test sequences a model takes. Sources are cut for decoding at <see cref="DecodedSource"/> (what
/// <c>translate</c> does: decoding.max_input_length and the model's position table), and for the teacher-forced dev
/// loss at <see cref="Source"/> and <see cref="Target"/> (the position tables of a CNN encoder or learned Transformer
/// positions), so that one long sentence never aborts a validation or the final test.
/// </summary>
public sealed record LengthLimits(int Source, int Target, int DecodedSource)
{
    public static LengthLimits Of(Seq2SeqNetwork model, DecodingConfig decoding) =>
        new(model.MaxSourceLength, model.MaxTargetLength, Math.Min(decoding.MaxInputLength, model.MaxSourceLength));

    /// <summary>The sequences with those longer than <paramref name="max"/> cut to it (the others as they are).</summary>
    public static IReadOnlyList<int[]> Cut(IReadOnlyList<int[]> sequences, int max) =>
        sequences.Any(s => s.Length > max) ? sequences.Select(s => s.Length > max ? s[..max] : s).ToList() : sequences;

    /// <summary>A warning naming how many of the sequences of <paramref name="lengths"/> are cut, or null when none is.</summary>
    public static string? Warning(string what, IEnumerable<int> lengths, int max, string purpose)
    {
        int over = lengths.Count(n => n > max);
        return over == 0 ? null : $"{what}: {over} longer than {max} tokens, the most the model takes; cut to {max} for {purpose}";
    }
}
