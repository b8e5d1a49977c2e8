namespace Seq2Seq.Evaluation;

/// <summary>
/// The whole of <c>s2s evaluate</c> as a library call: reads the files, computes the requested metrics and renders
/// the report as text (each score with its signature) or as one JSON object.
/// </summary>
public static class EvaluationRunner
{
    /// <summary>Evaluates and returns the text to print.</summary>
    /// <exception cref="EvaluationInputException">The options or the input files are unusable; the message says which and why.</exception>
    public static string Run(EvaluationOptions options)
    {
        var report = Evaluate(options);
        return options.Json ? JsonReportFormatter.Format(report) : TextReportFormatter.Format(report);
    }

    /// <summary>Evaluates and returns the scores.</summary>
    /// <exception cref="EvaluationInputException">The options or the input files are unusable; the message says which and why.</exception>
    public static EvaluationReport Evaluate(EvaluationOptions options)
    {
        var metrics = EvaluationMetrics.Parse(options.Metrics);
        BleuTokenizer.FromName(options.Tokenize); // reject an unknown tokenizer before reading any file
        bool g2p = metrics.Any(m => m.IsG2p());
        if (g2p && metrics.Any(m => !m.IsG2p()))
            throw new EvaluationInputException(
                "wer and per read word<TAB>phonemes files and cannot be combined with bleu, chrf, chrf++ or ter");
        if (g2p && options.Sentence)
            throw new EvaluationInputException("--sentence gives sentence BLEU and does not apply to wer or per");

        var sets = FileSets(options);
        if (sets.Count > 1 && options.Sentence)
            throw new EvaluationInputException("--sentence cannot be combined with several --pair sets");

        var results = sets.Select(s => EvaluateSet(s.Hypothesis, s.References, metrics, options)).ToList();
        return new EvaluationReport(metrics, results, IsPairs: options.Pairs.Count > 0);
    }

    static List<(string Hypothesis, IReadOnlyList<string> References)> FileSets(EvaluationOptions options)
    {
        if (options.Pairs.Count > 0)
        {
            if (options.Hypothesis is not null || options.References.Count > 0)
                throw new EvaluationInputException("give either --hyp with --ref, or --pair sets, not both");
            return options.Pairs.Select(ParsePair).ToList();
        }
        if (options.Hypothesis is null) throw new EvaluationInputException("no hypothesis file given (--hyp)");
        if (options.References.Count == 0) throw new EvaluationInputException("no reference file given (--ref)");
        return [(options.Hypothesis, options.References)];
    }

    static (string Hypothesis, IReadOnlyList<string> References) ParsePair(string pair)
    {
        var parts = pair.Split(',');
        if (parts.Length < 2 || parts.Any(p => p.Length == 0))
            throw new EvaluationInputException($"--pair '{pair}': expected hyp,ref (more references may follow, comma-separated)");
        return (parts[0], parts[1..]);
    }

    static EvaluationResult EvaluateSet(
        string hypothesisPath, IReadOnlyList<string> referencePaths, IReadOnlyList<EvaluationMetric> metrics,
        EvaluationOptions options)
    {
        var result = new EvaluationResult(hypothesisPath, referencePaths);
        if (metrics.Any(m => m.IsG2p()))
        {
            if (referencePaths.Count != 1)
                throw new EvaluationInputException("wer and per take exactly one reference file (it may list several pronunciations per word)");
            return result with { G2p = G2pErrorRates.Compute(hypothesisPath, referencePaths[0]) };
        }

        var (hypotheses, references) = SegmentFiles.ReadAligned(hypothesisPath, referencePaths);
        var bleu = new Bleu(new BleuOptions(options.Tokenize, options.Lowercase));
        foreach (var metric in metrics)
        {
            result = metric switch
            {
                EvaluationMetric.Bleu => result with { Bleu = bleu.CorpusScore(hypotheses, references) },
                EvaluationMetric.ChrF => result with
                {
                    ChrF = new ChrF(new ChrFOptions(Lowercase: options.Lowercase)).CorpusScore(hypotheses, references),
                },
                EvaluationMetric.ChrFPlusPlus => result with
                {
                    ChrFPlusPlus = new ChrF(new ChrFOptions(WordOrder: 2, Lowercase: options.Lowercase))
                        .CorpusScore(hypotheses, references),
                },
                EvaluationMetric.Ter => result with { Ter = new Ter().CorpusScore(hypotheses, references) },
                _ => result,
            };
        }
        if (options.Sentence)
        {
            var sentences = new List<BleuScore>(hypotheses.Count);
            for (int i = 0; i < hypotheses.Count; i++)
                sentences.Add(bleu.SentenceScore(hypotheses[i], references.Select(r => r[i]).ToList()));
            result = result with { SentenceBleu = sentences };
        }
        return result;
    }
}
