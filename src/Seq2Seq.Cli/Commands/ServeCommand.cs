using System.CommandLine;
using Seq2Seq.Configuration;
using Seq2Seq.Serving;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>s2s serve --model RUN_DIR [--backend onnx] [--urls http://127.0.0.1:5080] [--max-batch-tokens N] [--max-input-chars N] ...</c>:
/// the HTTP API and web page of <see cref="TranslationServer"/>, until Ctrl+C or SIGTERM (requests in flight finish first).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions();
        var model = new Option<string>("--model") { Description = "Run directory of a trained model (--backend onnx: an ONNX export folder)", Required = true };
        var backend = ModelLoading.BackendOption();
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A specific checkpoint file (default: the best)" };
        var threads = ModelLoading.ThreadsOption();
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, ';'-separated (loopback by default)", DefaultValueFactory = _ => defaults.Urls };
        var batchTokens = new Option<int>("--max-batch-tokens") { Description = "Dynamic batching: source tokens per merged batch", DefaultValueFactory = _ => defaults.MaxBatchTokens };
        var batchWait = new Option<int>("--batch-wait-ms") { Description = "Dynamic batching: how long a batch waits for more requests", DefaultValueFactory = _ => defaults.BatchWaitMilliseconds };
        var inputChars = new Option<int>("--max-input-chars") { Description = "Characters per text", DefaultValueFactory = _ => defaults.MaxInputChars };
        var texts = new Option<int>("--max-texts") { Description = "Texts per request", DefaultValueFactory = _ => defaults.MaxTexts };
        var bodyBytes = new Option<long>("--max-body-bytes") { Description = "Request body size", DefaultValueFactory = _ => defaults.MaxBodyBytes };
        var beam = new Option<int>("--max-beam") { Description = "Largest beam (and n-best) a request may ask for", DefaultValueFactory = _ => defaults.MaxBeam };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a request may wait for its translation before 504", DefaultValueFactory = _ => defaults.RequestTimeoutSeconds };
        var work = new Option<long>("--max-work") { Description = "Decoder work of one request (texts × beam × output-length limit), else 413", DefaultValueFactory = _ => defaults.MaxWork };
        var queue = new Option<int>("--max-queue") { Description = "Requests queued or decoding, else 503 + Retry-After", DefaultValueFactory = _ => defaults.MaxQueue };
        var queueWork = new Option<long>("--max-queue-work") { Description = "Decoder work queued ahead of a request plus its own, else 503 + Retry-After", DefaultValueFactory = _ => defaults.MaxQueueWork };
        var batchWork = new Option<long>("--max-batch-work") { Description = "Decoder work per batch (large requests are decoded a few texts at a time)", DefaultValueFactory = _ => defaults.MaxBatchWork };
        var attentionCells = new Option<long>("--max-attention-cells") { Description = "Attention weights in one answer, else 413", DefaultValueFactory = _ => defaults.MaxAttentionCells };
        var apiKey = new Option<string?>("--api-key") { Description = "Require 'Authorization: Bearer KEY' on /v1/translate and /v1/model (default: $S2S_API_KEY; none = open)" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (CUDA needs a CUDA libtorch)", DefaultValueFactory = _ => DeviceNames.Cpu };
        var command = new Command("serve", "Serve a trained model over HTTP (JSON API and a web page showing the attention)")
            { model, backend, checkpoint, threads, urls, batchTokens, batchWait, inputChars, texts, bodyBytes, beam, timeout, work, queue, queueWork, batchWork, attentionCells, apiKey, device };
        command.SetAction(parse =>
        {
            var options = new ServerOptions
            {
                Urls = parse.GetValue(urls)!, MaxBatchTokens = parse.GetValue(batchTokens), BatchWaitMilliseconds = parse.GetValue(batchWait),
                MaxInputChars = parse.GetValue(inputChars), MaxTexts = parse.GetValue(texts), MaxBodyBytes = parse.GetValue(bodyBytes),
                MaxBeam = parse.GetValue(beam), RequestTimeoutSeconds = parse.GetValue(timeout),
                MaxWork = parse.GetValue(work), MaxQueue = parse.GetValue(queue), MaxQueueWork = parse.GetValue(queueWork),
                MaxBatchWork = parse.GetValue(batchWork), MaxAttentionCells = parse.GetValue(attentionCells),
                ApiKey = parse.GetValue(apiKey) ?? NullIfEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)),
            };
            string runDir = parse.GetValue(model)!;
            if (!Directory.Exists(runDir)) throw new DirectoryNotFoundException($"{runDir}: no such folder");
            string kind = parse.GetValue(backend)!, dev = parse.GetValue(device)!;
            string? ckpt = parse.GetValue(checkpoint);
            int n = parse.GetValue(threads);
            ModelLoading.Check(kind, 1, ckpt, dev);   // before listening; the model itself loads in the background
            return Run(() => ModelLoading.Load(kind, [runDir], ckpt, n, m => Console.Error.WriteLine($"warning: {m}"), dev), options)
                .GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>The environment variable that holds the API key when --api-key is not given (keeps it out of the process list).</summary>
    public const string ApiKeyVariable = "S2S_API_KEY";

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    static async Task<int> Run(Func<TranslationModel> load, ServerOptions options)
    {
        void Log(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
        TranslationServer server;
        try { server = await TranslationServer.StartAsync(load, options, Log); }
        catch (IOException e) { throw new ArgumentException($"cannot listen on {options.Urls}: {e.Message}"); }
        await using (server)
        {
            try { await server.Ready; }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Load already logged the reason; a server without a model is of no use, so stop with the bad-input code.
                return CliErrors.BadInput;
            }
            Log($"web page: {server.Addresses[0]}/  API: POST {server.Addresses[0]}/v1/translate  (Ctrl+C stops)");
            await server.WaitForShutdownAsync();
            Log("stopping: answering the requests in flight");
        }
        return CliErrors.Ok;
    }
}
