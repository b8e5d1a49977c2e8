namespace Seq2Seq.Evaluation;

/// <summary>
/// ARPAbet lexical stress marks: CMUdict writes a vowel with a stress digit (<c>AH0</c>, <c>EY1</c>, <c>ER2</c>).
/// Published G2P error rates on CMUdict (Sequitur, Phonetisaurus, the LSTM papers) are mostly measured on the 39
/// phonemes without stress, so the toolkit reports WER/PER both ways when the references carry stress.
/// </summary>
public static class ArpabetStress
{
    /// <summary>True for a phoneme written as letters followed by one stress digit 0–2, such as <c>AH0</c>.</summary>
    public static bool IsStressed(string phoneme) =>
        phoneme.Length >= 2 && phoneme[^1] is >= '0' and <= '2' && char.IsAsciiLetter(phoneme[^2]);

    /// <summary>The phonemes with their stress digits removed (<c>AH0</c> → <c>AH</c>); other tokens unchanged.</summary>
    public static IReadOnlyList<string> Strip(IReadOnlyList<string> phonemes) =>
        phonemes.Select(p => IsStressed(p) ? p[..^1] : p).ToList();
}
