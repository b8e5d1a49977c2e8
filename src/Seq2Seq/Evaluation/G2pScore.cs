namespace Seq2Seq.Evaluation;

/// <summary>Grapheme-to-phoneme error rates.</summary>
/// <param name="Wer">Word error rate in percent: words whose phonemes match none of their reference pronunciations.</param>
/// <param name="Per">Phoneme error rate in percent: edits to the closest reference over those references' lengths.</param>
/// <param name="Words">Words scored.</param>
/// <param name="WrongWords">Words with no matching pronunciation.</param>
/// <param name="PhonemeEdits">Sum over words of the edit distance to the closest reference pronunciation.</param>
/// <param name="ReferencePhonemes">Sum over words of the length of that closest pronunciation.</param>
public sealed record G2pScore(double Wer, double Per, int Words, int WrongWords, long PhonemeEdits, long ReferencePhonemes)
{
    /// <summary>The same scores with ARPAbet stress digits removed from both sides (<see cref="ArpabetStress"/>);
    /// null when no reference phoneme carries stress.</summary>
    public G2pScore? WithoutStress { get; init; }
}
