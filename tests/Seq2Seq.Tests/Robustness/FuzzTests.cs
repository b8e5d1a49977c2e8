using System.Text;
using Seq2Seq.Configuration;
using Seq2Seq.Data;

namespace Seq2Seq.Tests.Robustness;

/// <summary>
/// Randomly corrupted corpora and configs never escape as anything but the documented errors: the corpus reader
/// either reads the file or throws <see cref="DataFormatException"/> (file:line), the config loader either loads or
/// throws <see cref="ConfigException"/>.
/// </summary>
public class FuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    static readonly byte[] Good = Encoding.UTF8.GetBytes(
        "Gen.1.1\tEn el principio\tIn the beginning\nGen.1.2\tY la tierra\tThe earth was\r\nGen.1.3\t¿Qué? 😀\tWhat? 𠮷\n");

    const string GoodConfig = """
        name: fuzz
        data:
          train: t.tsv
          source_column: 1
          target_column: 2
        model:
          embedding_size: 8
          decoder:
            attention: general
        training:
          max_steps: 3
          learning_rate: 0.001
        """;

    const string Structural = "\t\n\r\0 :-[{#'\"";

    static byte[] Corrupt(byte[] data, Random rng)
    {
        var bytes = new List<byte>(data);
        int edits = rng.Next(1, 6);
        for (int e = 0; e < edits; e++)
        {
            int pos = bytes.Count == 0 ? 0 : rng.Next(bytes.Count);
            switch (rng.Next(7))
            {
                case 0 when bytes.Count > 0: bytes[pos] = (byte)rng.Next(256); break;              // random byte (invalid UTF-8, NUL…)
                case 1 when bytes.Count > 0: bytes.RemoveAt(pos); break;                           // deletion (missing tab/column)
                case 2: bytes.Insert(pos, (byte)Structural[rng.Next(Structural.Length)]); break;    // structural characters
                case 3: bytes.InsertRange(pos, Encoding.UTF8.GetBytes("\uFEFF")); break;           // stray BOM
                case 4 when bytes.Count > 0: bytes.RemoveRange(pos, bytes.Count - pos); break;    // truncation
                case 5: bytes.InsertRange(pos, Enumerable.Repeat((byte)'x', rng.Next(1, 5000))); break; // long field
                default: bytes.InsertRange(pos, bytes.Skip(rng.Next(Math.Max(1, bytes.Count))).Take(20).ToList()); break;
            }
        }
        return bytes.ToArray();
    }

    [Fact]
    public void ThousandCorruptedCorporaGiveDataOrALineNumberedError()
    {
        var rng = new Random(12345);
        string path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}.tsv");
        int ok = 0, rejected = 0;
        try
        {
            for (int i = 0; i < 1000; i++)
            {
                File.WriteAllBytes(path, Corrupt(Good, rng));
                foreach (var policy in new[] { BadLinePolicy.Error, BadLinePolicy.Skip })
                {
                    try
                    {
                        var result = ParallelCorpusReader.ReadTsv(path, 1, 2, policy);
                        foreach (var p in result.Pairs) { Tokenizers.Create("word", true).Tokenize(p.Source); Tokenizers.Create("char", false).Tokenize(p.Target); }
                        ok++;
                    }
                    catch (DataFormatException e)
                    {
                        Assert.Equal(BadLinePolicy.Error, policy);
                        Assert.Matches(@":\d+: \w+: ", e.Message);
                        rejected++;
                    }
                }
            }
        }
        finally { File.Delete(path); }
        output.WriteLine($"corpora: 1000 corrupted files × 2 policies: {ok} read, {rejected} rejected with file:line");
        Assert.True(ok > 100 && rejected > 100, $"ok {ok}, rejected {rejected}: the corruption should produce both");
    }

    [Fact]
    public void ThousandCorruptedConfigsLoadOrGiveAConfigError()
    {
        var rng = new Random(54321);
        int ok = 0, rejected = 0;
        for (int i = 0; i < 1000; i++)
        {
            string text = Encoding.UTF8.GetString(Corrupt(Encoding.UTF8.GetBytes(GoodConfig), rng));
            try { ConfigLoader.Parse(text, "fuzz.yaml"); ok++; }
            catch (ConfigException e) { Assert.StartsWith("fuzz.yaml", e.Message); rejected++; }
        }
        output.WriteLine($"configs: 1000 corrupted: {ok} loaded, {rejected} rejected with file:line");
        Assert.True(ok > 10 && rejected > 100, $"ok {ok}, rejected {rejected}");
    }
}

/// <summary>Random, empty, control-character, astral and over-long inputs to translate: every one gets an answer.</summary>
public class TranslateFuzzTests
{
    [Fact]
    public void ThousandRandomInputsAreTranslatedWithoutAnException()
    {
        using var task = new SyntheticTask(train: 300);
        var config = task.Config(3, c => c with { Decoding = c.Decoding with { MaxInputLength = 30, BatchSize = 50 } });
        Seq2Seq.Training.Trainer.Run(config, new Seq2Seq.Training.TrainerOptions(false, _ => { }));
        using var model = Seq2SeqModel.Load(config.RunDir);
        var warnings = new List<string>();
        model.Warn = warnings.Add;
        var rng = new Random(99);
        string[] pieces = ["w1", "w2", " ", "\t", "\0", "\u00a0", "😀", "𠮷", "\uFEFF", "\r", "é", "中文", "\u200b", "x"];
        var inputs = Enumerable.Range(0, 1000).Select(i => i % 100 == 0
            ? string.Join(' ', Enumerable.Repeat("w3", 5000))                                   // far over the maximum
            : string.Concat(Enumerable.Range(0, rng.Next(0, 12)).Select(_ => pieces[rng.Next(pieces.Length)]))).ToList();
        inputs.Add("\uD800");                                                                    // a lone surrogate
        var outputs = model.Translate(inputs, beam: 2, nbest: 2);
        Assert.Equal(inputs.Count, outputs.Count);
        Assert.All(outputs, o => Assert.NotNull(o.Text));
        Assert.Equal(10, warnings.Count(w => w.Contains("truncated to the model's maximum of 30")));
    }
}
