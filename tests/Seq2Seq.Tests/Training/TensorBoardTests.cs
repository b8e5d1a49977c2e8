using Seq2Seq.Runs;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

/// <summary>Training writes TensorBoard event files that TensorBoard's record format and protobuf schema can read back.</summary>
public class TensorBoardTests
{
    [Fact]
    public void TrainingWritesScalarsAndAnAttentionImage()
    {
        using var task = new SyntheticTask(train: 300);
        var config = task.Config(6, c => c with { Training = c.Training with { ValidateEvery = 3, LogEvery = 2 } });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));

        var files = Directory.GetFiles(new RunDirectory(config.RunDir).TensorBoard, "events.out.tfevents.*");
        var events = ReadEvents(Assert.Single(files));
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var values = events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Select(v => (e.Step, v))).ToList();
        Assert.Equal([2, 4, 6], values.Where(x => x.v.Tag == "train/loss").Select(x => (int)x.Step));
        var gradNorms = values.Where(x => x.v.Tag == "train/grad_norm").ToList();          // mean before clipping, per window
        Assert.Equal([2, 4, 6], gradNorms.Select(x => (int)x.Step));
        Assert.All(gradNorms, x => Assert.True(x.v.SimpleValue > 0));
        var logged = File.ReadLines(Path.Combine(config.RunDir, "train_log.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "train").Select(e => e.GetProperty("grad_norm").GetDouble());
        Assert.Equal(gradNorms.Select(x => (double)x.v.SimpleValue), logged, (a, b) => Math.Abs(a - b) < 1e-4 * Math.Max(1, a));
        Assert.Equal([3, 6], values.Where(x => x.v.Tag == "dev/perplexity").Select(x => (int)x.Step));
        Assert.All(values.Where(x => x.v.Tag == "dev/perplexity"), x => Assert.True(x.v.SimpleValue > 1));
        Assert.Contains(values, x => x.v.Tag == "dev/wer");
        Assert.Contains(values, x => x.v.Tag == "test/wer" && x.Step == 6);
        var image = Assert.Single(values, x => x.v.Tag == "attention/dev_sentence_1" && x.Step == 6).v.Image;
        Assert.True(image.Width > 100 && image.Height > 100);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image.EncodedImageString.Take(4));
    }

    [Fact]
    public void TensorBoardCanBeSwitchedOff()
    {
        using var task = new SyntheticTask(train: 300);
        var config = task.Config(2, c => c with { Training = c.Training with { Tensorboard = false } });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        Assert.False(Directory.Exists(new RunDirectory(config.RunDir).TensorBoard));
    }

    /// <summary>TFRecord framing: u64 length, u32 masked CRC of the length, the record, u32 masked CRC of the record.</summary>
    static List<Tensorboard.Event> ReadEvents(string path)
    {
        var events = new List<Tensorboard.Event>();
        using var reader = new BinaryReader(File.OpenRead(path));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            long length = reader.ReadInt64();
            reader.ReadUInt32();
            events.Add(Tensorboard.Event.Parser.ParseFrom(reader.ReadBytes((int)length)));
            reader.ReadUInt32();
        }
        return events;
    }
}
