using System.Globalization;
using System.Text.RegularExpressions;
using Seq2Seq.Data;

namespace Seq2Seq.Runs;

/// <summary>The files of a run: config, vocabularies, checkpoints, logs, test output.</summary>
public sealed partial class RunDirectory(string path)
{
    public string Path { get; } = path;
    public string Config => Combine("config.yaml");
    public string SourceVocab => Combine("src.vocab");
    public string TargetVocab => Combine("tgt.vocab");
    public string Log => Combine("train_log.jsonl");
    public string CheckpointDir => Combine("checkpoints");
    public string BestCheckpoint => System.IO.Path.Combine(CheckpointDir, "best.ckpt");
    public string TestHypotheses => Combine("test.hyp");
    public string TestReferences => Combine("test.ref");
    public string TestSources => Combine("test.src");
    public string Results => Combine("results.json");
    public string TensorBoard => Combine("tensorboard");
    /// <summary>The copy of <c>data.jieba_user_dict</c> the run's tokenisers use.</summary>
    public string JiebaUserDict => Combine("jieba.user.dict");

    /// <summary>The BPE merges of one side (<c>bpe.src.merges</c>, <c>bpe.tgt.merges</c>), or <c>bpe.joint.merges</c>.</summary>
    public string BpeMerges(TextSide side, bool joint) =>
        Combine(joint ? "bpe.joint.merges" : side == TextSide.Source ? "bpe.src.merges" : "bpe.tgt.merges");

    /// <summary>The copy of one side's SentencePiece model (<c>src.spm.model</c>, <c>tgt.spm.model</c>).</summary>
    public string SentencePieceModel(TextSide side) => Combine(side == TextSide.Source ? "src.spm.model" : "tgt.spm.model");

    public string StepCheckpoint(int step) => System.IO.Path.Combine(CheckpointDir, $"step-{step:D8}.ckpt");

    /// <summary>Step checkpoints, newest first.</summary>
    public IReadOnlyList<(int Step, string Path)> StepCheckpoints()
    {
        if (!Directory.Exists(CheckpointDir)) return [];
        return Directory.GetFiles(CheckpointDir, "step-*.ckpt")
            .Select(p => (Match: StepName().Match(System.IO.Path.GetFileName(p)), Path: p))
            .Where(x => x.Match.Success)
            .Select(x => (int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), x.Path))
            .OrderByDescending(x => x.Item1)
            .ToList();
    }

    string Combine(string name) => System.IO.Path.Combine(Path, name);

    [GeneratedRegex(@"^step-(\d+)\.ckpt$")]
    private static partial Regex StepName();
}
