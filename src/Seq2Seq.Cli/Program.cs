using System.CommandLine;
using Seq2Seq.Cli;
using Seq2Seq.Cli.Commands;

var root = new RootCommand("s2s — train, run and evaluate sequence-to-sequence models (Seq2Seq.NET)");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(TranslateCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(QuickstartCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(AverageCommand.Create());
root.Subcommands.Add(ConfigReferenceCommand.Create());
root.Subcommands.Add(ProfileCommand.Create());
root.Subcommands.Add(PeakCommand.Create());
// Our own handler turns expected failures (bad config, data, files) into one-line errors with exit code 2.
return CliErrors.Guard(() => root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
