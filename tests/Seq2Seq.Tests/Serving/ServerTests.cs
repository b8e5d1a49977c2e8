using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Seq2Seq.Serving;

namespace Seq2Seq.Tests.Serving;

/// <summary><c>s2s serve</c>'s endpoints, limits and malformed input, concurrency and shutdown, over real HTTP on loopback.</summary>
public class ServerTests(ServedModel served) : IClassFixture<ServedModel>
{
    static HttpClient Client(TranslationServer server) => new() { BaseAddress = new Uri(server.Addresses[0]), Timeout = TimeSpan.FromMinutes(1) };

    static async Task<(HttpStatusCode Status, JsonElement Body)> Post(HttpClient http, string json) =>
        await Send(http, new StringContent(json, Encoding.UTF8, "application/json"));

    static async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpClient http, HttpContent content)
    {
        using var response = await http.PostAsync("/v1/translate", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task HealthIsNotReadyBeforeTheModelLoads()
    {
        using var gate = new ManualResetEventSlim();
        await using var server = await served.StartAsync(load: () => { gate.Wait(); return Seq2SeqModel.Load(served.RunDir); });
        using var http = Client(server);

        using (var health = await http.GetAsync("/v1/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("loading", (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }
        var (status, body) = await Post(http, """{"texts": ["w1 w2"]}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("still loading", body.GetProperty("error").GetString());
        using (var model = await http.GetAsync("/v1/model")) Assert.Equal(HttpStatusCode.ServiceUnavailable, model.StatusCode);

        gate.Set();
        await server.Ready.WaitAsync(TimeSpan.FromMinutes(1));
        using var ready = await http.GetAsync("/v1/health");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task HealthReportsAModelThatFailedToLoad()
    {
        await using var server = await served.StartAsync(load: () => Seq2SeqModel.Load(Path.Combine(served.RunDir, "missing")));
        await Assert.ThrowsAsync<FileNotFoundException>(() => server.Ready);
        using var http = Client(server);
        using var health = await http.GetAsync("/v1/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var body = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("failed", body.GetProperty("status").GetString());
        Assert.Contains("not a run directory", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnOnnxExportIsServedWithTheTranslationsOfItsRun()
    {
        string export = Path.Combine(Path.GetDirectoryName(served.RunDir)!, "onnx-export");
        using (var m = Seq2SeqModel.Load(served.RunDir)) Seq2Seq.Onnx.OnnxModelExport.Write(m, export);
        await using var torch = await served.StartAsync();
        await using var onnx = await served.StartAsync(load: () => Seq2Seq.Onnx.OnnxModel.Load(export, threads: 1));
        await Task.WhenAll(torch.Ready, onnx.Ready);
        using var torchHttp = Client(torch);
        using var onnxHttp = Client(onnx);
        string request = JsonSerializer.Serialize(new { texts = served.Sources.Take(5).ToList(), beam = 3, nbest = 2, attention = true });
        var (torchStatus, expected) = await Post(torchHttp, request);
        var (onnxStatus, actual) = await Post(onnxHttp, request);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (torchStatus, onnxStatus));
        foreach (var (e, a) in expected.GetProperty("translations").EnumerateArray().Zip(actual.GetProperty("translations").EnumerateArray()))
        {
            Assert.Equal(e.GetProperty("text").GetString(), a.GetProperty("text").GetString());
            foreach (var (ce, ca) in e.GetProperty("nbest").EnumerateArray().Zip(a.GetProperty("nbest").EnumerateArray()))
            {
                Assert.Equal(ce.GetProperty("text").GetString(), ca.GetProperty("text").GetString());
                Assert.Equal(ce.GetProperty("log_prob").GetDouble(), ca.GetProperty("log_prob").GetDouble(), 1e-4);
            }
            // The hybrid gates: from a teacher-forced pass on TorchSharp, from the search's own steps on ONNX Runtime.
            var gatesE = e.GetProperty("attention").GetProperty("gates").EnumerateArray().Select(g => g.GetDouble()).ToList();
            var gatesA = a.GetProperty("attention").GetProperty("gates").EnumerateArray().Select(g => g.GetDouble()).ToList();
            Assert.Equal(gatesE.Count, gatesA.Count);
            foreach (var (ge, ga) in gatesE.Zip(gatesA)) Assert.Equal(ge, ga, 1e-4);
        }
        using var info = await onnxHttp.GetAsync("/v1/model");
        var model = await info.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("onnx", model.GetProperty("backend").GetString());
        using var torchInfo = await torchHttp.GetAsync("/v1/model");
        Assert.Equal((await torchInfo.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameters").GetInt64(), model.GetProperty("parameters").GetInt64());
    }

    [Fact]
    public async Task TranslateReturnsTheSameNBestScoresAndAttentionAsOfflineTranslation()
    {
        await using var server = await served.StartAsync();
        await server.Ready;
        using var http = Client(server);
        var texts = served.Sources.Take(3).ToList();
        var (status, body) = await Post(http, JsonSerializer.Serialize(new { texts, beam = 4, nbest = 3, attention = true }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("synthetic", body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("ms").GetDouble() > 0);

        using var offline = Seq2SeqModel.Load(served.RunDir);
        var expected = offline.Translate(texts, beam: 4, nbest: 3, attention: true);
        var translations = body.GetProperty("translations").EnumerateArray().ToList();
        Assert.Equal(texts.Count, translations.Count);
        for (int i = 0; i < texts.Count; i++)
        {
            var t = translations[i];
            Assert.Equal(expected[i].Text, t.GetProperty("text").GetString());
            Assert.Equal(expected[i].SourceTokens, t.GetProperty("source_tokens").EnumerateArray().Select(e => e.GetString()));
            var nbest = t.GetProperty("nbest").EnumerateArray().ToList();
            Assert.Equal(3, nbest.Count);
            for (int k = 0; k < 3; k++)
            {
                Assert.Equal(expected[i].NBest[k].Text, nbest[k].GetProperty("text").GetString());
                Assert.Equal(expected[i].NBest[k].LogProb, nbest[k].GetProperty("log_prob").GetDouble(), 4);
                Assert.Equal(expected[i].NBest[k].Score, nbest[k].GetProperty("score").GetDouble(), 4);
            }
            Assert.Equal(nbest[0].GetProperty("log_prob").GetDouble(), t.GetProperty("log_prob").GetDouble());

            var attention = t.GetProperty("attention");
            var sourceTokens = attention.GetProperty("source_tokens").GetArrayLength();
            var weights = attention.GetProperty("weights").EnumerateArray().ToList();
            Assert.Equal(attention.GetProperty("output_tokens").GetArrayLength(), weights.Count);
            Assert.Equal("</s>", attention.GetProperty("output_tokens").EnumerateArray().Last().GetString());
            foreach (var row in weights)
            {
                Assert.Equal(sourceTokens, row.GetArrayLength());
                Assert.Equal(1.0, row.EnumerateArray().Sum(w => w.GetDouble()), 3);
            }
            // The hybrid attention's gate per output step, as offline translation gives it.
            var gates = attention.GetProperty("gates").EnumerateArray().Select(g => (float)g.GetDouble()).ToArray();
            Assert.Equal(weights.Count, gates.Length);
            for (int g = 0; g < gates.Length; g++) Assert.Equal(expected[i].NBest[0].Gates![g], gates[g], 5);
        }

        // Without "attention": true the response carries none; beam and nbest default to the model's beam and 1.
        (status, body) = await Post(http, JsonSerializer.Serialize(new { texts }));
        Assert.Equal(HttpStatusCode.OK, status);
        var plain = body.GetProperty("translations")[0];
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("attention").ValueKind);
        Assert.Single(plain.GetProperty("nbest").EnumerateArray());
        Assert.Equal(offline.Translate(texts[0]).Text, plain.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ModelOpenApiAndPageEndpointsAnswer()
    {
        await using var server = await served.StartAsync();
        await server.Ready;
        using var http = Client(server);

        var model = await http.GetFromJsonAsync<JsonElement>("/v1/model");
        using var offline = Seq2SeqModel.Load(served.RunDir);
        Assert.Equal("synthetic", model.GetProperty("name").GetString());
        Assert.Equal(offline.SourceVocab.Count, model.GetProperty("source_vocab").GetInt32());
        Assert.Equal(offline.TargetVocab.Count, model.GetProperty("target_vocab").GetInt32());
        Assert.Equal(offline.Network.ParameterCount(), model.GetProperty("parameters").GetInt64());
        Assert.Equal("lstm", model.GetProperty("encoder").GetProperty("type").GetString());
        Assert.Equal(3, model.GetProperty("decoding").GetProperty("beam_size").GetInt32());
        Assert.True(model.GetProperty("test_metrics").GetProperty("wer").GetDouble() >= 0);

        var openApi = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.StartsWith("3.", openApi.GetProperty("openapi").GetString());
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/v1/translate", out _));

        using var page = await http.GetAsync("/");
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<textarea id=\"source\"", html);
        Assert.DoesNotContain("https://", html);           // no CDN: the page works offline
        foreach (var asset in new[] { "/app.js", "/style.css" })
        {
            using var r = await http.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.DoesNotContain("https://", await r.Content.ReadAsStringAsync());
        }

        using var missing = await http.GetAsync("/v1/nothing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no endpoint", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    public static TheoryData<string, int, string> BadBodies() => new()
    {
        { """{"texts": ["w1 w2"]""", 400, "not valid JSON" },
        { "[\"w1\"]", 400, "must be a JSON object" },
        { """{"text": ["w1"]}""", 400, "unknown field \"text\"; valid fields: texts, beam, nbest, attention" },
        { """{"beam": 2}""", 400, "\"texts\" is missing" },
        { """{"texts": "w1 w2"}""", 400, "\"texts\" must be an array of strings, not a string" },
        { """{"texts": []}""", 400, "\"texts\" is empty" },
        { """{"texts": ["w1", 7]}""", 400, "texts[1] must be a string, not a number" },
        { """{"texts": ["w1", "  "]}""", 400, "texts[1] is empty" },
        { """{"texts": ["w1"], "beam": "5"}""", 400, "\"beam\" must be a whole number from 1 to 8, not a string" },
        { """{"texts": ["w1"], "beam": 2.5}""", 400, "\"beam\" must be a whole number" },
        { """{"texts": ["w1"], "beam": 9}""", 400, "\"beam\" is 9; it must be from 1 to 8" },
        { """{"texts": ["w1"], "beam": 0}""", 400, "\"beam\" is 0" },
        { """{"texts": ["w1"], "beam": 2, "nbest": 3}""", 400, "\"nbest\" (3) cannot exceed the beam (2)" },
        { """{"texts": ["w1"], "nbest": 4}""", 400, "cannot exceed the beam (3, the model's default)" },
        { """{"texts": ["w1"], "attention": "yes"}""", 400, "\"attention\" must be true or false, not a string" },
        { """{"texts": ["w1"], "attention_nbest": 1}""", 400, "\"attention_nbest\" must be true or false, not a number" },
        { """{"texts": ["w1 \ud800 w2"]}""", 400, "a string that is not valid Unicode text" },
        { """{"\udfff": 1}""", 400, "a string that is not valid Unicode text" },
        { "{\"texts\": [" + string.Join(",", Enumerable.Repeat("\"w1\"", 41)) + "]}", 400, "\"texts\" has 41 texts; at most 40" },
        { "{\"texts\": [\"" + string.Join(" ", Enumerable.Repeat("w1", 101)) + "\"]}", 400, "texts[0] has 302 characters; at most 200" },
        { "{\"texts\": [\"" + new string('x', 70_000) + "\"]}", 413, "at most 65536 are allowed" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task EachMalformedOrOverLimitRequestGetsItsStatusAndMessage(string json, int status, string message)
    {
        await using var server = await served.StartAsync();
        await server.Ready;
        using var http = Client(server);
        var (code, body) = await Post(http, json);
        Assert.Equal(status, (int)code);
        Assert.Contains(message, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task InvalidUtf8AndAnUnknownMethodAreRefusedAndTheServerGoesOn()
    {
        await using var server = await served.StartAsync();
        await server.Ready;
        using var http = Client(server);
        byte[] bytes = [.. Encoding.UTF8.GetBytes("{\"texts\": [\"w1 "), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"]}")];
        var (status, body) = await Send(http, new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not valid UTF-8 (bad byte at offset 15)", body.GetProperty("error").GetString());

        using var get = await http.GetAsync("/v1/translate");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);

        (status, _) = await Post(http, """{"texts": ["w1 w2 w3"]}""");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task ARequestThatWaitsTooLongGets504()
    {
        await using var server = await served.StartAsync(ServedModel.Limits with { RequestTimeoutSeconds = 0.001, BatchWaitMilliseconds = 50 });
        await server.Ready;
        using var http = Client(server);
        var (status, body) = await Post(http, """{"texts": ["w1 w2"]}""");
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Contains("no translation within", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ConcurrentRequestsAreBatchedTogetherAndEachGetsItsOwnResult()
    {
        await using var server = await served.StartAsync(ServedModel.Limits with { BatchWaitMilliseconds = 20 });
        await server.Ready;
        using var http = Client(server);
        var sources = served.Sources.Take(96).ToList();
        // 32 clients, each with its own texts (1–5 per request), its own beam (1 or 3), some asking for the attention.
        var requests = Enumerable.Range(0, 32).Select(i => (Texts: sources.Skip(i * 3).Take(1 + i % 5).ToList(), Beam: i % 2 == 0 ? 1 : 3,
            Attention: i % 4 < 2)).ToList();
        var responses = await Task.WhenAll(requests.Select(r => Post(http, JsonSerializer.Serialize(new { texts = r.Texts, beam = r.Beam, attention = r.Attention }))));

        using var offline = Seq2SeqModel.Load(served.RunDir);
        for (int i = 0; i < requests.Count; i++)
        {
            Assert.Equal(HttpStatusCode.OK, responses[i].Status);
            var expected = offline.Translate(requests[i].Texts, beam: requests[i].Beam).Select(t => t.Text);
            var got = responses[i].Body.GetProperty("translations").EnumerateArray().Select(t => t.GetProperty("text").GetString());
            Assert.Equal(expected, got);
            // Only the requests that asked get the attention (and the hybrid gates in it), though batched with others.
            foreach (var t in responses[i].Body.GetProperty("translations").EnumerateArray())
                if (requests[i].Attention) Assert.True(t.GetProperty("attention").GetProperty("gates").GetArrayLength() > 0);
                else Assert.Equal(JsonValueKind.Null, t.GetProperty("attention").ValueKind);
        }
        var (batches, batched) = server.BatchCounts;
        Assert.Equal(32, batched);
        Assert.True(batches < batched, $"{batched} concurrent requests were decoded in {batches} batches: none were merged");
    }

    [Fact]
    public async Task StoppingTheServerFinishesTheRequestsInFlight()
    {
        var server = await served.StartAsync(ServedModel.Limits with { BatchWaitMilliseconds = 200 });
        await server.Ready;
        using var http = Client(server);
        var pending = Post(http, JsonSerializer.Serialize(new { texts = served.Sources.Take(40), beam = 8 }));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (server.BatchCounts.Batches == 0 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(1);
        await server.DisposeAsync();       // while the request is being batched or decoded
        var (status, body) = await pending;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(40, body.GetProperty("translations").GetArrayLength());
    }
}
