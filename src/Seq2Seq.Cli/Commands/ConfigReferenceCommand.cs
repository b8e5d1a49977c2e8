using System.CommandLine;
using Seq2Seq.Configuration;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>s2s config-reference [--comments configs/bible-es-en.yaml]</c>: prints docs/config-reference.md.</summary>
public static class ConfigReferenceCommand
{
    public static Command Create()
    {
        var comments = new Option<string>("--comments")
        {
            Description = "A config that comments every key (the descriptions)", DefaultValueFactory = _ => "configs/bible-es-en.yaml",
        };
        var command = new Command("config-reference", "Print the Markdown reference of every config key") { comments };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(comments)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found (run from the repository root or pass --comments)");
            Console.Out.Write(ConfigReference.Markdown(File.ReadAllText(path), path.Replace('\\', '/')));
            return CliErrors.Ok;
        });
        return command;
    }
}
