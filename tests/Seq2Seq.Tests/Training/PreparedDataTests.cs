using Seq2Seq.Configuration;
using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

public class PreparedDataTests
{
    [Fact]
    public void AMissingDataFileIsNamedByItsKey()
    {
        using var task = new SyntheticTask(train: 50);
        var data = task.Config(1).Data;
        var e = Assert.Throws<ConfigException>(() => PreparedData.Load(data with { Dev = "no/such/dev.tsv" }, new RunDirectory(task.Dir), null, _ => { }));
        Assert.StartsWith("data.dev: no/such/dev.tsv does not exist (relative paths are taken from the current folder, ", e.Message);
        e = Assert.Throws<ConfigException>(() => PreparedData.Load(data with { Format = "aligned", Train = "/nowhere/train" }, new RunDirectory(task.Dir), null, _ => { }));
        Assert.Equal("data.train: /nowhere/train.src does not exist", e.Message);
    }
}
