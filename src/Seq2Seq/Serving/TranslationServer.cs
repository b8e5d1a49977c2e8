using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seq2Seq.Decoding;

namespace Seq2Seq.Serving;

/// <summary>
/// The HTTP server of <c>s2s serve</c> (Kestrel, minimal APIs): <c>POST /v1/translate</c>, <c>GET /v1/health</c>,
/// <c>GET /v1/model</c>, the OpenAPI description at <c>/openapi/v1.json</c> and the web page at <c>/</c>.
/// It listens at once and loads the model in the background; health says "ready" only when the model is loaded.
/// Requests go through a <see cref="DynamicBatcher"/> (bounded work, small requests first); every answer that is not a
/// translation is a JSON error <c>{"error": "..."}</c>: 4xx for a refused request, 503 (with Retry-After) when busy,
/// 504 after the timeout, and 500 for a fault inside decoding or a non-finite score — the server itself keeps running.
/// Every answer carries its request id (header <c>X-Request-Id</c>), which the log lines (<c>key=value</c>) name too.
/// With <see cref="ServerOptions.ApiKey"/> the API requires <c>Authorization: Bearer &lt;key&gt;</c>.
/// </summary>
public sealed class TranslationServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ServerOptions options;
    readonly Action<string> log;
    readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    volatile TranslationModel? model;
    volatile DynamicBatcher? batcher;
    volatile string? loadError;
    object? modelInfo;

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    readonly byte[]? apiKeyHash;

    TranslationServer(WebApplication app, ServerOptions options, Action<string> log)
    {
        (this.app, this.options, this.log) = (app, options, log);
        apiKeyHash = options.ApiKey is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.ApiKey));
    }

    /// <summary>The addresses the server listens on (with the real port when the options asked for port 0).</summary>
    public IReadOnlyList<string> Addresses => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();

    /// <summary>Completes when the model is loaded and requests are served; faults with the load error.</summary>
    public Task Ready => loaded.Task;

    /// <summary>Decoding batches so far and the requests they merged.</summary>
    public (long Batches, long Requests) BatchCounts => batcher is { } b ? (b.Batches, b.BatchedRequests) : (0, 0);

    /// <summary>Requests queued or being decoded.</summary>
    public int QueuedRequests => batcher?.Load.Requests ?? 0;

    /// <summary>Starts listening, then loads the model with <paramref name="loadModel"/> on a background thread.</summary>
    /// <param name="log">Receives the server's own lines (addresses, model loaded, request faults).</param>
    public static async Task<TranslationServer> StartAsync(Func<TranslationModel> loadModel, ServerOptions options, Action<string> log)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);    // enforced per endpoint, with a JSON error
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds + 5));
        var app = builder.Build();
        var server = new TranslationServer(app, options, log);
        app.Use(server.Frame);
        server.MapEndpoints();
        await app.StartAsync();
        log($"level=info event=listening urls={Q(string.Join(";", server.Addresses))}");
        foreach (var url in options.NonLoopbackUrls().Where(_ => options.ApiKey is null))
            log($"level=warn event=open_without_key url={Q(url)} message={Q("not a loopback address and no --api-key (or S2S_API_KEY) is set: anyone who can reach it can use the server")}");
        _ = Task.Factory.StartNew(() => server.Load(loadModel), TaskCreationOptions.LongRunning);
        return server;
    }

    void Load(Func<TranslationModel> loadModel)
    {
        try
        {
            var clock = Stopwatch.StartNew();
            var m = loadModel();
            m.Warn = message => log($"level=warn event=model message={Q(message)}");
            modelInfo = ModelInfo.Describe(m);
            model = m;
            var d = m.Config.Decoding;
            var limits = new SearchOptions(MaxLengthRatio: d.MaxLengthRatio, MaxLengthOffset: d.MaxLengthOffset);
            batcher = new DynamicBatcher(
                (texts, beam, nbest, attention, abandoned) => m.Translate(texts, beam, nbest, attention, abandoned),
                text => Math.Min(m.SourceTokenizer.Tokenize(text).Count, m.MaxSourceLength),
                tokens => Math.Min(limits.MaxLength(tokens), m.MaxTargetLength), options);
            log($"level=info event=ready model={Q(m.Config.Name)} backend={m.BackendName} checkpoint={Q(m.Checkpoint)} load_s={clock.Elapsed.TotalSeconds:F1}");
            loaded.TrySetResult();
        }
        catch (Exception e)
        {
            loadError = e.Message;
            log($"level=error event=load_failed message={Q(e.Message)}");
            loaded.TrySetException(e);
        }
    }

    void MapEndpoints()
    {
        app.MapGet("/v1/health", () => model is not null && batcher is { } b
            ? Results.Json(new { status = "ready", queued = b.Load.Requests }, Json)
            : Results.Json(loadError is null ? new { status = "loading", error = (string?)null } : new { status = "failed", error = (string?)loadError }, Json, statusCode: 503));
        app.MapGet("/v1/model", (Delegate)((HttpContext context) => Guarded(context, () => Task.FromResult(Results.Json(modelInfo ?? throw NotReady(), Json)))));
        app.MapPost("/v1/translate", (Delegate)((HttpContext context) => Guarded(context, () => Translate(context))));
        app.MapGet("/openapi/v1.json", () => Asset("openapi.json"));
        app.MapGet("/", () => Asset("index.html"));
        app.MapGet("/{file}", (string file) => Asset(file));
        app.MapFallback((Delegate)((HttpContext c) => Methods.TryGetValue(c.Request.Path.Value ?? "", out var method)
            ? Error(405, $"{c.Request.Path} takes {method}, not {c.Request.Method}")
            : Error(404, $"no endpoint {c.Request.Method} {c.Request.Path}; see /openapi/v1.json")));
    }

    static readonly Dictionary<string, string> Methods = new() { ["/v1/translate"] = "POST", ["/v1/health"] = "GET", ["/v1/model"] = "GET" };

    async Task<IResult> Translate(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        var (m, b) = (model, batcher);
        if (m is null || b is null) throw NotReady();
        byte[] body = await ReadBody(context.Request, options.MaxBodyBytes, context.RequestAborted);
        var request = TranslateRequest.Parse(body, options, m.Config.Decoding.BeamSize);
        int beam = request.Beam ?? m.Config.Decoding.BeamSize;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.RequestTimeoutSeconds));
        // The timeout and a client that goes away both cancel: the request leaves the queue, or its decoding batch at the next step.
        IReadOnlyList<Translation> results;
        try { results = await b.TranslateAsync(request, beam, timeout.Token).WaitAsync(timeout.Token); }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw new RequestError(504, $"no translation within {options.RequestTimeoutSeconds} s (the server is busy); try again or send fewer texts");
        }
        CheckFinite(results, context.TraceIdentifier);
        return Results.Json(new
        {
            translations = results.Select(TranslationJson).ToList(),
            model = m.Config.Name,
            ms = Math.Round(clock.Elapsed.TotalMilliseconds, 1),
        }, Json);
    }

    /// <summary>A NaN or infinite score or weight cannot be written as JSON and means the model is broken for this
    /// input: the operator's log gets the details with the request id, the client a JSON 500.</summary>
    void CheckFinite(IReadOnlyList<Translation> results, string requestId)
    {
        for (int i = 0; i < results.Count; i++)
        {
            var t = results[i];
            string? problem = t.NBest.Count == 0 ? "no hypothesis" : null;
            for (int k = 0; k < t.NBest.Count && problem is null; k++)
            {
                var c = t.NBest[k];
                if (!double.IsFinite(c.Score) || !double.IsFinite(c.LogProb)) problem = $"hypothesis {k + 1} has score {c.Score}, log P {c.LogProb}";
                else if (c.Attention?.Any(row => row.Any(w => !float.IsFinite(w))) == true) problem = $"hypothesis {k + 1} has non-finite attention weights";
                else if (c.Gates?.Any(g => !float.IsFinite(g)) == true) problem = $"hypothesis {k + 1} has non-finite hybrid gates";
            }
            if (problem is null) continue;
            log($"level=error event=non_finite id={requestId} text={i} problem={Q(problem)} source={Q(t.Source)}");
            throw new RequestError(500, $"internal error: the model gave no usable result for texts[{i}] ({problem}); request id {requestId}");
        }
    }

    static object TranslationJson(Translation t)
    {
        var nbest = t.NBest.Select(c => new
        {
            text = c.Text,
            score = c.Score,
            log_prob = c.LogProb,
            tokens = c.Tokens,
            attention = c.Attention is null ? null : new
            {
                source_tokens = t.SourceTokens,
                output_tokens = c.Tokens.Append("</s>").Take(c.Attention.Length).ToList(),
                weights = c.Attention,
                gates = c.Gates,
            },
        }).ToList();
        var best = nbest[0];   // CheckFinite made sure there is one
        return new { text = best.text, score = best.score, log_prob = best.log_prob, source_tokens = t.SourceTokens, nbest, attention = best.attention };
    }

    static async Task<byte[]> ReadBody(HttpRequest request, long max, CancellationToken cancel)
    {
        if (request.ContentLength > max) throw TooLarge(request.ContentLength.Value, max);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + n > max) throw TooLarge(buffer.Length + n, max);
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    static RequestError TooLarge(long size, long max) => new(413, $"the body has {(size > max ? $"more than {max}" : size)} bytes; at most {max} are allowed");
    RequestError NotReady() => new(503, loadError is null ? "the model is still loading; retry when GET /v1/health says ready" : $"the model could not be loaded: {loadError}");

    /// <summary>Turns every failure of a handler into a JSON error; the server never dies from a request.</summary>
    async Task<IResult> Guarded(HttpContext context, Func<Task<IResult>> handler)
    {
        try { return await handler(); }
        catch (RequestError e)
        {
            if (e.RetryAfterSeconds is int seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Error(e.Status, e.Message);
        }
        catch (BadHttpRequestException e) { return Error(e.StatusCode, e.Message); }
        catch (OperationCanceledException) { return Error(499, "the client closed the request"); }
        catch (Exception e)
        {
            log($"level=error event=fault id={context.TraceIdentifier} exception={Q(e.ToString())}");
            return Error(500, $"internal error: {e.Message}; request id {context.TraceIdentifier}");
        }
    }

    /// <summary>Around every request: the request id header, the API key, one log line per API call, and a JSON 500
    /// for any failure that escapes a handler (e.g. while writing the answer).</summary>
    async Task Frame(HttpContext context, RequestDelegate next)
    {
        var clock = Stopwatch.StartNew();
        string id = context.TraceIdentifier;
        context.Response.Headers["X-Request-Id"] = id;
        string path = context.Request.Path.Value ?? "";
        bool api = path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase);
        try
        {
            if (!Authorized(context.Request, path))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Error(401, "this server needs an API key: send the header 'Authorization: Bearer <key>'").ExecuteAsync(context);
            }
            else await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            log($"level=error event=fault id={id} exception={Q(e.ToString())}");
            context.Response.Clear();
            await Error(500, $"internal error: {e.Message}; request id {id}").ExecuteAsync(context);
        }
        catch (Exception e)
        {
            // The answer was under way: nothing more can be said to the client.
            log($"level=error event=fault id={id} exception={Q(e.ToString())}");
            context.Abort();
        }
        if (api)
            log($"level=info event=request id={id} method={context.Request.Method} path={path} status={context.Response.StatusCode} " +
                $"ms={clock.Elapsed.TotalMilliseconds:F1}{(context.RequestAborted.IsCancellationRequested ? " aborted=true" : "")}");
    }

    static bool Open(string path)
    {
        string p = path.TrimEnd('/');
        if (p.Length == 0 || p.Equals("/v1/health", StringComparison.OrdinalIgnoreCase) || p.Equals("/openapi/v1.json", StringComparison.OrdinalIgnoreCase))
            return true;
        return p.LastIndexOf('/') == 0 && !p.Equals("/v1", StringComparison.OrdinalIgnoreCase);   // the page's files: /app.js, /style.css
    }

    /// <summary>Without a key everything is open; with one, everything but health, the page and the OpenAPI description
    /// needs it (deny by default, so no spelling of a path slips past), compared in constant time.</summary>
    bool Authorized(HttpRequest request, string path)
    {
        if (options.ApiKey is null || Open(path)) return true;
        string header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        // Hashing first makes both sides the same length, so the comparison time says nothing about the key's length.
        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, apiKeyHash!);
    }

    /// <summary>A log value: quoted and escaped as a JSON string.</summary>
    static string Q(string value) => JsonSerializer.Serialize(value);

    static IResult Error(int status, string message) => Results.Json(new { error = message }, Json, statusCode: status);

    static readonly Dictionary<string, string> ContentTypes = new()
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8", [".json"] = "application/json; charset=utf-8",
    };

    /// <summary>The page and the OpenAPI description are embedded in this assembly, so the server needs no files.</summary>
    static IResult Asset(string file)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Seq2Seq.Serving.wwwroot.{file}");
        return stream is null || !ContentTypes.TryGetValue(Path.GetExtension(file), out var type)
            ? Error(404, $"no file /{file}")
            : Results.Stream(stream, type);
    }

    /// <summary>Stops listening after the requests in flight are answered, then stops decoding.</summary>
    public async Task StopAsync()
    {
        await app.StopAsync();
        batcher?.Dispose();
    }

    /// <summary>Waits until the host is asked to stop (Ctrl+C, SIGTERM), answering requests meanwhile.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancel = default) => app.WaitForShutdownAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
        model?.Dispose();
    }
}
