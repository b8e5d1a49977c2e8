using System.CommandLine;
using Seq2Seq.Evaluation;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>s2s evaluate</c>: sacreBLEU-comparable BLEU, chrF, chrF++ and TER, or grapheme-to-phoneme WER and PER, of a
/// hypothesis file against one or more references (or of several <c>--pair</c> sets and their mean).
/// </summary>
public static class EvaluateCommand
{
    /// <summary>Exit code for unusable input (missing file, bad UTF-8, line-count mismatch, unknown metric…).</summary>
    public const int InputErrorExitCode = 2;

    /// <summary>Builds the <c>evaluate</c> command.</summary>
    public static Command Create()
    {
        var hyp = new Option<string>("--hyp") { Description = "Hypothesis file: one segment per line (TSV word<TAB>phonemes for wer/per)." };
        var refs = new Option<string[]>("--ref")
        {
            Description = "Reference file, aligned line by line with the hypothesis; repeat for several references.",
            AllowMultipleArgumentsPerToken = false,
        };
        var tokenize = new Option<string>("--tokenize")
        {
            Description = "BLEU tokenizer, as in sacreBLEU.",
            DefaultValueFactory = _ => "13a",
        };
        tokenize.AcceptOnlyFromAmong([.. BleuTokenizer.Names]);
        var lowercase = new Option<bool>("--lowercase") { Description = "Case-insensitive BLEU and chrF (Python str.lower())." };
        var metrics = new Option<string>("--metrics")
        {
            Description = "Comma-separated metrics: bleu, chrf, chrf++, ter, or wer, per for grapheme-to-phoneme TSV files.",
            DefaultValueFactory = _ => "bleu,chrf",
        };
        var sentence = new Option<bool>("--sentence") { Description = "Also print sentence BLEU for every line." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var pairs = new Option<string[]>("--pair")
        {
            Description = "A hyp,ref set to score (repeatable); prints each set's scores and their mean.",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("evaluate", "Score hypotheses against references with sacreBLEU-identical metrics.")
        {
            hyp, refs, tokenize, lowercase, metrics, sentence, json, pairs,
        };
        command.SetAction(parseResult =>
        {
            var options = new EvaluationOptions
            {
                Hypothesis = parseResult.GetValue(hyp),
                References = parseResult.GetValue(refs) ?? [],
                Tokenize = parseResult.GetValue(tokenize) ?? "13a",
                Lowercase = parseResult.GetValue(lowercase),
                Metrics = [parseResult.GetValue(metrics) ?? "bleu,chrf"],
                Sentence = parseResult.GetValue(sentence),
                Json = parseResult.GetValue(json),
                Pairs = parseResult.GetValue(pairs) ?? [],
            };
            try
            {
                parseResult.InvocationConfiguration.Output.Write(EvaluationRunner.Run(options));
                return 0;
            }
            catch (EvaluationInputException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return InputErrorExitCode;
            }
        });
        return command;
    }
}
