namespace Seq2Seq.Evaluation;

/// <summary>
/// WER and PER for grapheme-to-phoneme conversion, where a word may have several correct pronunciations. A word is
/// right if its predicted phoneme sequence equals any of its reference pronunciations. PER sums, over words, the
/// edit distance to the closest reference pronunciation (the first in file order on ties) and divides by the sum
/// of those pronunciations' lengths. Both are in percent; an empty prediction is a wrong answer, not an error.
/// When the references carry ARPAbet stress digits, the score also holds both rates without them.
/// </summary>
public static class G2pErrorRates
{
    /// <summary>Scores predicted pronunciations, each paired with its word's reference pronunciations (at least one).</summary>
    /// <exception cref="ArgumentException">A word has no reference pronunciation.</exception>
    public static G2pScore Compute(
        IEnumerable<(IReadOnlyList<string> Predicted, IReadOnlyList<IReadOnlyList<string>> References)> words)
    {
        var list = words.ToList();
        var score = Score(list);
        if (!list.Any(w => w.References.Any(r => r.Any(ArpabetStress.IsStressed)))) return score;
        return score with { WithoutStress = Score(list.Select(w =>
            (ArpabetStress.Strip(w.Predicted), (IReadOnlyList<IReadOnlyList<string>>)w.References.Select(ArpabetStress.Strip).ToList()))) };
    }

    static G2pScore Score(IEnumerable<(IReadOnlyList<string> Predicted, IReadOnlyList<IReadOnlyList<string>> References)> words)
    {
        int count = 0, wrong = 0;
        long edits = 0, length = 0;
        foreach (var (predicted, references) in words)
        {
            if (references.Count == 0) throw new ArgumentException("every word needs a reference pronunciation", nameof(words));
            count++;
            if (!references.Any(r => r.SequenceEqual(predicted, StringComparer.Ordinal))) wrong++;

            int bestDistance = int.MaxValue, bestLength = 0;
            foreach (var reference in references)
            {
                int distance = EditDistance.Compute(predicted, reference);
                if (distance < bestDistance) { bestDistance = distance; bestLength = reference.Count; }
            }
            edits += bestDistance;
            length += bestLength;
        }
        return new G2pScore(
            100.0 * wrong / Math.Max(count, 1), 100.0 * edits / Math.Max(length, 1), count, wrong, edits, length);
    }

    /// <summary>
    /// Scores a hypothesis file against a reference file, both TSV <c>word&lt;TAB&gt;phonemes</c> (phonemes separated
    /// by spaces), matched by the word column; see <see cref="PronunciationFiles"/> for the accepted layout.
    /// </summary>
    /// <exception cref="EvaluationInputException">A file is unreadable or malformed, or a hypothesis word is missing from the reference.</exception>
    public static G2pScore Compute(string hypothesisPath, string referencePath)
    {
        var references = PronunciationFiles.ReadReferences(referencePath);
        var pairs = new List<(IReadOnlyList<string>, IReadOnlyList<IReadOnlyList<string>>)>();
        foreach (var entry in PronunciationFiles.ReadHypotheses(hypothesisPath))
        {
            if (!references.TryGetValue(entry.Word, out var prons))
                throw new EvaluationInputException(
                    $"{hypothesisPath}:{entry.Line}: word '{entry.Word}' is not in the reference {referencePath}");
            pairs.Add((entry.Phonemes, prons));
        }
        return Compute(pairs);
    }
}
