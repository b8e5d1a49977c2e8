using Seq2Seq.Configuration;
using Seq2Seq.Data;

namespace Seq2Seq.Runs;

/// <summary>Creates the tokeniser of one side of a run from its config and the files in its run directory.</summary>
public static class RunTokenizers
{
    /// <summary>
    /// The tokeniser of one side of a run: the one entry point for training and for loading a trained model. Files it
    /// needs (BPE merges, SentencePiece model, jieba user dictionary) are read from the run directory, where
    /// <see cref="RunTokenizerFiles.Prepare"/> put them at the start of training.
    /// </summary>
    public static ITokenizer Create(DataConfig data, TextSide side, RunDirectory run)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(run);
        string? userDict = string.IsNullOrEmpty(data.JiebaUserDict) ? null : run.JiebaUserDict;
        return Tokenizers.KindOf(data, side) switch
        {
            BpeTokenizer.KindName => new BpeTokenizer(
                Tokenizers.BpeBase(data, side, userDict),
                BpeMerges.Load(run.BpeMerges(side, Tokenizers.JointBpe(data)))),
            SentencePieceTokenizer.KindName => new SentencePieceTokenizer(run.SentencePieceModel(side), data.Lowercase),
            string kind => ProtectedTokenizer.Wrap(Tokenizers.Create(kind, data.Lowercase, userDict), data.ProtectedPattern),
        };
    }
}
