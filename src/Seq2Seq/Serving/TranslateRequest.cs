using System.Text;
using System.Text.Json;

namespace Seq2Seq.Serving;

/// <summary>A checked <c>POST /v1/translate</c> body:
/// <c>{"texts": [...], "beam": 5, "nbest": 1, "attention": false, "attention_nbest": false}</c>.</summary>
/// <param name="Beam">Beam size; null = the model's <c>decoding.beam_size</c>.</param>
/// <param name="AttentionNBest">With <paramref name="Attention"/>: the attention of every n-best hypothesis, not only the best's.</param>
public sealed record TranslateRequest(IReadOnlyList<string> Texts, int? Beam, int NBest, bool Attention, bool AttentionNBest = false)
{
    /// <summary>The fields a body may have.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["texts", "beam", "nbest", "attention", "attention_nbest"];

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses and checks a body against the limits; every refusal names the field and the problem.</summary>
    /// <exception cref="RequestError">400 with a message naming the field (or the JSON position).</exception>
    public static TranslateRequest Parse(ReadOnlySpan<byte> body, ServerOptions limits, int defaultBeam)
    {
        try { StrictUtf8.GetCharCount(body); }
        catch (DecoderFallbackException e) { throw Bad($"the body is not valid UTF-8 (bad byte at offset {e.Index})"); }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(body.ToArray()); }
        catch (JsonException e) { throw Bad($"the body is not valid JSON: {e.Message}"); }
        using (doc)
        {
            // Valid JSON may still escape half a UTF-16 surrogate pair ("\ud800"): no .NET string can hold that text.
            try { return Check(doc.RootElement, limits, defaultBeam); }
            catch (InvalidOperationException e) { throw Bad($"the body has a string that is not valid Unicode text: {e.Message}"); }
        }
    }

    static TranslateRequest Check(JsonElement root, ServerOptions limits, int defaultBeam)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Bad($"the body must be a JSON object, not {Kind(root)}");
        foreach (var p in root.EnumerateObject())
            if (!Fields.Contains(p.Name)) throw Bad($"unknown field \"{p.Name}\"; valid fields: {string.Join(", ", Fields)}");

        if (!root.TryGetProperty("texts", out var textsElement)) throw Bad("\"texts\" is missing: give an array of strings to translate");
        if (textsElement.ValueKind != JsonValueKind.Array) throw Bad($"\"texts\" must be an array of strings, not {Kind(textsElement)}");
        int count = textsElement.GetArrayLength();
        if (count == 0) throw Bad("\"texts\" is empty: give at least one text");
        if (count > limits.MaxTexts) throw Bad($"\"texts\" has {count} texts; at most {limits.MaxTexts} are allowed per request");
        var texts = new List<string>(count);
        foreach (var t in textsElement.EnumerateArray())
        {
            string field = $"texts[{texts.Count}]";
            if (t.ValueKind != JsonValueKind.String) throw Bad($"{field} must be a string, not {Kind(t)}");
            string text = t.GetString()!;
            if (string.IsNullOrWhiteSpace(text)) throw Bad($"{field} is empty");
            if (text.Length > limits.MaxInputChars) throw Bad($"{field} has {text.Length} characters; at most {limits.MaxInputChars} are allowed");
            texts.Add(text);
        }

        int? beam = OptionalInt(root, "beam", 1, limits.MaxBeam);
        int nbest = OptionalInt(root, "nbest", 1, limits.MaxBeam) ?? 1;
        int effectiveBeam = beam ?? defaultBeam;
        if (nbest > effectiveBeam) throw Bad($"\"nbest\" ({nbest}) cannot exceed the beam ({effectiveBeam}{(beam is null ? ", the model's default" : "")})");
        bool attentionNBest = OptionalBool(root, "attention_nbest");
        bool attention = OptionalBool(root, "attention") || attentionNBest;
        return new TranslateRequest(texts, beam, nbest, attention, attentionNBest);
    }

    static bool OptionalBool(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw Bad($"\"{name}\" must be true or false, not {Kind(e)}"),
        };

    static int? OptionalInt(JsonElement root, string name, int min, int max)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int value))
            throw Bad($"\"{name}\" must be a whole number from {min} to {max}, not {Kind(e)} {e.GetRawText()}");
        if (value < min || value > max) throw Bad($"\"{name}\" is {value}; it must be from {min} to {max}");
        return value;
    }

    static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object", JsonValueKind.Array => "an array", JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number", JsonValueKind.True or JsonValueKind.False => "a boolean", _ => "null",
    };

    static RequestError Bad(string message) => new(400, message);
}
