using Seq2Seq.Serving;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Serving;

/// <summary>A tiny reverse-task model trained once for all server tests, and servers started on free loopback ports. Its
/// attention is hybrid, so the responses and the page carry the per-step gates too.</summary>
public sealed class ServedModel : IDisposable
{
    readonly SyntheticTask task = new(train: 1500, vocab: 10, maxLen: 7);

    public ServedModel()
    {
        var config = task.Config(150, c => c with
        {
            Model = c.Model with { Decoder = c.Model.Decoder with { AttentionType = "hybrid", LocalWindow = 2 } },
            Decoding = c.Decoding with { BeamSize = 3 },
        });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        RunDir = config.RunDir;
    }

    public string RunDir { get; }

    /// <summary>Test inputs: the task's test sources.</summary>
    public IReadOnlyList<string> Sources => task.Pairs("test").Select(p => p.Source).ToList();

    /// <summary>Starts a server with <paramref name="options"/> (limits kept small for the tests) on a free port.</summary>
    public async Task<TranslationServer> StartAsync(ServerOptions? options = null, Func<TranslationModel>? load = null)
    {
        options ??= Limits;
        var server = await TranslationServer.StartAsync(load ?? (() => Seq2SeqModel.Load(RunDir)), options with { Urls = "http://127.0.0.1:0" }, _ => { });
        return server;
    }

    /// <summary>The limits the tests exercise.</summary>
    public static ServerOptions Limits { get; } = new() { MaxTexts = 40, MaxInputChars = 200, MaxBeam = 8, MaxBodyBytes = 64 * 1024 };

    public void Dispose() => task.Dispose();
}
