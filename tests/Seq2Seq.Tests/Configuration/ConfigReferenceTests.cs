using Seq2Seq.Configuration;

namespace Seq2Seq.Tests.Configuration;

/// <summary>The sample configs comment every key, and docs/config-reference.md is what the generator makes now.</summary>
public class ConfigReferenceTests
{
    /// <summary>Every shipped config in configs/ (not the ablation variants, which override a base), so a new one is
    /// checked without being listed here.</summary>
    public static TheoryData<string> ShippedConfigs()
    {
        var files = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(RepoPaths.Of("configs"), "*.yaml").Order(StringComparer.Ordinal))
            files.Add(Path.GetFileName(path));
        return files;
    }

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void SampleConfigsLoadAndCommentEveryKey(string file)
    {
        string path = RepoPaths.Of("configs", file);
        ConfigLoader.Load(path);
        var comments = ConfigReference.Comments(File.ReadAllText(path));
        var missing = ConfigReference.Keys().Where(k => !comments.TryGetValue(k.Path, out var c) || c.Length == 0).Select(k => k.Path).ToList();
        Assert.True(missing.Count == 0, $"{file} does not list (with a comment) these keys: {string.Join(", ", missing)}");
    }

    [Fact]
    public void TheReferenceDocumentIsUpToDate()
    {
        string expected = ConfigReference.Markdown(File.ReadAllText(RepoPaths.Of("configs", "bible-es-en.yaml")), "configs/bible-es-en.yaml");
        string actual = File.ReadAllText(RepoPaths.Of("docs", "config-reference.md"));
        Assert.True(expected == actual, "docs/config-reference.md is out of date: regenerate it with `s2s config-reference > docs/config-reference.md`");
    }

    [Fact]
    public void CommentsAreFoundByNestingAndQuotesAreRespected()
    {
        var comments = ConfigReference.Comments("""
            name: "a # b"   # the name
            model:
              encoder:      # the encoder
                type: lstm  # lstm or gru
              dropout: 0.2  # dropout rate
            # a full-line comment
            run_dir: x
            """);
        Assert.Equal("the name", comments["name"]);
        Assert.Equal("the encoder", comments["model.encoder"]);
        Assert.Equal("lstm or gru", comments["model.encoder.type"]);
        Assert.Equal("dropout rate", comments["model.dropout"]);
        Assert.False(comments.ContainsKey("run_dir"));
    }

    [Fact]
    public void KeysCarryTypesDefaultsAndChoices()
    {
        var keys = ConfigReference.Keys().ToDictionary(k => k.Path);
        Assert.Equal(new ConfigReference.Key("training.batch_tokens", "integer", "4096", null), keys["training.batch_tokens"]);
        Assert.Equal("0.001", keys["training.learning_rate"].Default);
        Assert.Equal(["lstm", "gru", "cnn"], keys["model.encoder.type"].Choices!);
        Assert.Equal("true", keys["training.tensorboard"].Default);
    }
}
