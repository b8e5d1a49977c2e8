using Seq2Seq.Configuration;

namespace Seq2Seq.Tests.Configuration;

public class ConfigLoaderTests
{
    [Fact]
    public void ReadsNestedKeysAndKeepsDefaultsForTheRest()
    {
        var c = ConfigLoader.Parse("""
            name: demo
            data:
              train: a.tsv
              source_tokenizer: char
            model:
              decoder:
                attention: concat
            training:
              max_steps: 12
              learning_rate: 5e-4
            """);
        Assert.Equal("demo", c.Name);
        Assert.Equal("char", c.Data.SourceTokenizer);
        Assert.Equal("word", c.Data.TargetTokenizer);
        Assert.Equal("concat", c.Model.Decoder.Attention);
        Assert.Equal(12, c.Training.MaxSteps);
        Assert.Equal(5e-4, c.Training.LearningRate);
        Assert.Equal(4096, c.Training.BatchTokens);
    }

    [Fact]
    public void UnknownKeyIsAnErrorListingTheValidKeys()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("training:\n  max_step: 3\n", "my.yaml"));
        Assert.StartsWith("my.yaml:2: unknown key 'training.max_step'", e.Message);
        Assert.Contains("max_steps", e.Message);
        Assert.Contains("batch_tokens", e.Message);
    }

    [Theory]
    [InlineData("training:\n  max_steps: many\n", "my.yaml:2: 'training.max_steps' must be an integer, got 'many'")]
    [InlineData("model:\n  dropout: high\n", "my.yaml:2: 'model.dropout' must be a number, got 'high'")]
    [InlineData("data:\n  lowercase: maybe\n", "my.yaml:2: 'data.lowercase' must be true or false, got 'maybe'")]
    [InlineData("model:\n  decoder:\n    attention: magic\n", "my.yaml:3: 'model.decoder.attention' must be one of dot, general, concat, additive, none; got 'magic'")]
    [InlineData("data: 3\n", "my.yaml:1: 'data' must be a mapping")]
    [InlineData("name: [a, b]\n", "my.yaml:1: 'name' must be a single value")]
    public void WrongValuesNameTheFileLineAndKey(string yaml, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "my.yaml"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void SetOverridesApplyBeforeBindingAndAreChecked()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cfg-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "training:\n  max_steps: 3\n");
        try
        {
            var c = ConfigLoader.Load(path, ["training.max_steps=40", "model.encoder.type=gru", "run_dir=runs/x"]);
            Assert.Equal(40, c.Training.MaxSteps);
            Assert.Equal("gru", c.Model.Encoder.Type);
            Assert.Equal("runs/x", c.RunDir);
            Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, ["training.nope=1"]));
            Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, ["no_equals_sign"]));
            // A bad value from --set is named as such, not as a line of the file.
            var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, ["training.max_steps=abc"]));
            Assert.Equal("--set training.max_steps: 'training.max_steps' must be an integer, got 'abc'", e.Message);
            e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, ["training.nope=1"]));
            Assert.StartsWith("--set training.nope: unknown key 'training.nope'", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SavedConfigReadsBackTheSame()
    {
        var c = new RunConfig { Name = "x", Training = new TrainingConfig { MaxSteps = 9, LearningRate = 0.25 } };
        Assert.Equal(c, ConfigLoader.Parse(ConfigLoader.ToYaml(c)));
    }

    [Fact]
    public void EveryShippedConfigLoads()
    {
        string root = RepoRoot();
        var files = Directory.GetFiles(Path.Combine(root, "configs"), "*.yaml", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var f in files) ConfigLoader.Load(f);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Seq2Seq.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
