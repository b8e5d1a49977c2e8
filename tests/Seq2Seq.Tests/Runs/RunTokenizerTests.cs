using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Runs;
using Seq2Seq.Tests.Data;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Runs;

public class RunTokenizerTests
{
    [Fact]
    public void JointBpeRunSavesOneMergesFileAndOneVocabularyAndResumeReusesThem()
    {
        using var task = new SyntheticTask(train: 300, dev: 20);
        var config = task.Config(3, c => c with
        {
            Data = c.Data with { SourceTokenizer = "bpe", TargetTokenizer = "bpe", SourceBpeBase = "space", TargetBpeBase = "space", BpeMerges = 5, JointVocabulary = true },
        });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        var run = new RunDirectory(config.RunDir);
        string merges = run.BpeMerges(TextSide.Source, joint: true);
        Assert.True(File.Exists(merges));
        Assert.False(File.Exists(run.BpeMerges(TextSide.Source, joint: false)));
        Assert.Equal(File.ReadAllText(run.SourceVocab), File.ReadAllText(run.TargetVocab));
        var written = File.GetLastWriteTimeUtc(merges);

        var lines = new List<string>();
        Trainer.Run(config with { Training = config.Training with { MaxSteps = 5 } }, new TrainerOptions(true, lines.Add));
        Assert.Contains(lines, l => l.Contains("bpe: using the merges"));
        Assert.Equal(written, File.GetLastWriteTimeUtc(merges));

        using var model = Seq2SeqModel.Load(config.RunDir);
        var bpe = Assert.IsType<BpeTokenizer>(model.TargetTokenizer);
        Assert.Equal(BpeMerges.Load(merges).Merges, bpe.Merges.Merges);
        Assert.DoesNotContain("@@", model.Translate("w1 w2 w3").Text);
    }

    [Fact]
    public void SeparateBpeLearnsMergesOnlyForTheBpeSide()
    {
        using var task = new SyntheticTask(train: 300, dev: 20);
        var config = task.Config(2, c => c with { Data = c.Data with { TargetTokenizer = "bpe", TargetBpeBase = "space", BpeMerges = 5 } });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        var run = new RunDirectory(config.RunDir);
        Assert.True(File.Exists(run.BpeMerges(TextSide.Target, joint: false)));
        Assert.False(File.Exists(run.BpeMerges(TextSide.Source, joint: false)));
        Assert.False(File.Exists(run.BpeMerges(TextSide.Source, joint: true)));
    }

    [Theory]
    [InlineData("", "data.target_sentencepiece_model: required when data.target_tokenizer is sentencepiece")]
    [InlineData("/nonexistent/t.model", "data.target_sentencepiece_model: file not found: /nonexistent/t.model")]
    public void SentencePieceModelSettingIsCheckedByKey(string path, string expected)
    {
        using var task = new SyntheticTask(train: 50, dev: 5);
        var config = task.Config(1, c => c with { Data = c.Data with { TargetTokenizer = "sentencepiece", TargetSentencepieceModel = path } });
        var e = Assert.Throws<ConfigException>(() => Trainer.Run(config, new TrainerOptions(false, _ => { })));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void MissingJiebaUserDictionaryIsNamedByKey()
    {
        using var task = new SyntheticTask(train: 50, dev: 5);
        var config = task.Config(1, c => c with { Data = c.Data with { SourceTokenizer = "jieba", JiebaUserDict = "/nonexistent/u.dict" } });
        var e = Assert.Throws<ConfigException>(() => Trainer.Run(config, new TrainerOptions(false, _ => { })));
        Assert.StartsWith("data.jieba_user_dict: file not found", e.Message);
    }

    [SpmTrainFact]
    public void SentencePieceModelIsCopiedIntoTheRunAndUsedByTheLoadedModel()
    {
        using var task = new SyntheticTask(train: 300, dev: 20);
        string model = SpmTrain.Train(task.Pairs("train").Select(p => p.Target), Path.Combine(task.Dir, "tgt"), 20);
        var config = task.Config(2, c => c with { Data = c.Data with { TargetTokenizer = "sentencepiece", TargetSentencepieceModel = model } });
        Trainer.Run(config, new TrainerOptions(false, _ => { }));
        var run = new RunDirectory(config.RunDir);
        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(run.SentencePieceModel(TextSide.Target)));
        File.Delete(model);   // the run is self-contained
        using var loaded = Seq2SeqModel.Load(config.RunDir);
        Assert.IsType<SentencePieceTokenizer>(loaded.TargetTokenizer);
        Assert.DoesNotContain("\u2581", loaded.Translate("w1 w2 w3").Text);
    }
}
