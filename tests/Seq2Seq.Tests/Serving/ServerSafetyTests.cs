using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Seq2Seq.Serving;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Serving;

/// <summary>What no request may do to the server: special-token strings, non-finite scores, too much work, a full
/// queue, missing credentials — each answered with a JSON error, never a bare 500.</summary>
public class ServerSafetyTests(ServedModel served) : IClassFixture<ServedModel>
{
    static HttpClient Client(TranslationServer server) => new() { BaseAddress = new Uri(server.Addresses[0]), Timeout = TimeSpan.FromMinutes(1) };

    static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(HttpClient http, object body, string path = "/v1/translate")
    {
        var response = await http.PostAsync(path, new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(), response);
    }

    static readonly string[] SpecialTexts = ["<pad>", "<s>", "</s> <unk>", "w1 <pad> w2", "<pad> <pad> <pad>"];

    [Fact]
    public void SpecialTokenStringsAreTranslatedAndScoredAsOrdinaryWords()
    {
        using var model = Seq2SeqModel.Load(served.RunDir);
        foreach (var t in model.Translate(SpecialTexts, beam: 3, nbest: 2, attention: true))
        {
            Assert.All(t.NBest, c => Assert.True(double.IsFinite(c.LogProb) && double.IsFinite(c.Score), $"{t.Source}: {c.LogProb}"));
            Assert.All(t.NBest[0].Attention!.SelectMany(r => r), w => Assert.True(float.IsFinite(w)));
        }
        Assert.Equal(["<pad>"], model.Translate("<pad>").SourceTokens);
        var scores = model.Score([("<pad>", "<pad>"), ("w1 w2", "w2 <pad> w1"), ("<s>", "</s>")]);
        Assert.All(scores, s => Assert.True(double.IsFinite(s.Total), $"log P {s.Total}"));
        // "<pad>" in a target is a token of its own (scored as <unk>), not padding left out: 3 tokens + </s>.
        Assert.Equal(4, scores[1].PerToken.Length);
    }

    [Fact]
    public async Task SpecialTokenStringsGetTheSameAnswerOverHttpAsOffline()
    {
        await using var server = await served.StartAsync();
        await server.Ready;
        using var http = Client(server);
        var (status, body, _) = await Post(http, new { texts = SpecialTexts, beam = 3, attention = true });
        Assert.Equal(HttpStatusCode.OK, status);
        using var offline = Seq2SeqModel.Load(served.RunDir);
        Assert.Equal(offline.Translate(SpecialTexts, beam: 3).Select(t => t.Text),
            body.GetProperty("translations").EnumerateArray().Select(t => t.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task NonFiniteScoresAreAJsonErrorLoggedWithTheRequestId()
    {
        var log = new List<string>();
        await using var server = await TranslationServer.StartAsync(() =>
        {
            var m = Seq2SeqModel.Load(served.RunDir);
            using (no_grad()) foreach (var p in m.Network.parameters()) p.fill_(double.NaN);
            return m;
        }, ServedModel.Limits with { Urls = "http://127.0.0.1:0" }, line => { lock (log) log.Add(line); });
        await server.Ready;
        using var http = Client(server);
        var (status, body, response) = await Post(http, new { texts = new[] { "w1 w2" } });
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        string id = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Contains("no usable result for texts[0]", body.GetProperty("error").GetString());
        Assert.Contains(id, body.GetProperty("error").GetString());
        lock (log) Assert.Contains(log, l => l.Contains("event=non_finite") && l.Contains($"id={id}"));
    }

    [Fact]
    public async Task TooMuchWorkOrAttentionIs413AndAttentionIsTheBestHypothesisOnlyUnlessAsked()
    {
        await using var server = await served.StartAsync(ServedModel.Limits with { MaxWork = 600, MaxQueueWork = 600, MaxAttentionCells = 1000 });
        await server.Ready;
        using var http = Client(server);
        var texts = served.Sources.Take(8).ToList();
        var (status, body, _) = await Post(http, new { texts, beam = 8 });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("decoder steps (8 texts × beam 8", body.GetProperty("error").GetString());

        (status, body, _) = await Post(http, new { texts = texts.Take(1), beam = 3, nbest = 3, attention_nbest = true });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(body.GetProperty("translations")[0].GetProperty("nbest").EnumerateArray(),
            c => Assert.Equal(JsonValueKind.Object, c.GetProperty("attention").ValueKind));
        (status, body, _) = await Post(http, new { texts = texts.Take(1), beam = 3, nbest = 3, attention = true });
        Assert.Equal(HttpStatusCode.OK, status);
        var nbest = body.GetProperty("translations")[0].GetProperty("nbest").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Object, nbest[0].GetProperty("attention").ValueKind);
        Assert.All(nbest.Skip(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("attention").ValueKind));

        (status, body, _) = await Post(http, new { texts, beam = 3, nbest = 3, attention_nbest = true });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("weights (3 hypotheses × output × source tokens)", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AFullQueueIs503WithRetryAfter()
    {
        // The first request waits 2 s for others to join its batch; meanwhile the queue (1) is full.
        await using var server = await served.StartAsync(ServedModel.Limits with { MaxQueue = 1, BatchWaitMilliseconds = 2000 });
        await server.Ready;
        using var http = Client(server);
        var first = Post(http, new { texts = new[] { "w1 w2" } });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (server.QueuedRequests == 0 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(5);
        var (status, body, response) = await Post(http, new { texts = new[] { "w3" } });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("the server is busy", body.GetProperty("error").GetString());
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await first).Status);
    }

    [Fact]
    public async Task WithAnApiKeyTheApiNeedsTheBearerTokenAndHealthStaysOpen()
    {
        await using var server = await served.StartAsync(ServedModel.Limits with { ApiKey = "s3cret-key" });
        await server.Ready;
        using var http = Client(server);
        foreach (var open in new[] { "/v1/health", "/", "/app.js", "/openapi/v1.json" })
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(open)).StatusCode);
        foreach (var auth in new[] { null, "Bearer wrong", "Bearer s3cret-ke", "Basic s3cret-key", "Bearer " })
        {
            http.DefaultRequestHeaders.Authorization = auth is null ? null : AuthenticationHeaderValue.Parse(auth);
            var (status, body, response) = await Post(http, new { texts = new[] { "w1" } });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("Authorization: Bearer", body.GetProperty("error").GetString());
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            foreach (var path in new[] { "/v1/model", "/V1/MODEL", "/v1/model/", "/v1/nothing" })
                Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(path)).StatusCode);
        }
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-key");
        Assert.Equal(HttpStatusCode.OK, (await Post(http, new { texts = new[] { "w1" } })).Status);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/model")).StatusCode);
    }

    [Fact]
    public async Task ListeningBeyondLoopbackWithoutAKeyPrintsAWarning()
    {
        var options = new ServerOptions { Urls = "http://0.0.0.0:5080; http://127.0.0.1:5080;http://localhost:1;http://[::1]:2;http://*:3;http://10.1.2.3:4" };
        Assert.Equal(["http://0.0.0.0:5080", "http://*:3", "http://10.1.2.3:4"], options.NonLoopbackUrls());

        foreach (var key in new[] { null, "k" })
        {
            var log = new List<string>();
            await using var server = await TranslationServer.StartAsync(() => Seq2SeqModel.Load(served.RunDir),
                ServedModel.Limits with { Urls = "http://0.0.0.0:0", ApiKey = key }, line => { lock (log) log.Add(line); });
            await server.Ready;
            lock (log) Assert.Equal(key is null, log.Any(l => l.Contains("event=open_without_key") && l.Contains("0.0.0.0")));
        }
    }

    [Fact]
    public async Task EveryAnswerCarriesARequestIdAndErrorsAreJson()
    {
        await using var server = await served.StartAsync();
        await server.Ready;
        using var http = Client(server);
        foreach (var (method, path, body) in new[] { ("POST", "/v1/translate", "{"), ("GET", "/v1/nothing", ""), ("PUT", "/v1/health", ""), ("POST", "/v1/translate", "{\"texts\": [\"w1\"]}") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request);
            Assert.NotEmpty(response.Headers.GetValues("X-Request-Id").Single());
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True((int)response.StatusCode < 300 || json.TryGetProperty("error", out _), $"{method} {path}: {(int)response.StatusCode}");
        }
    }
}
