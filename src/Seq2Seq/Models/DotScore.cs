using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary><c>dot</c> (Luong): q·e; no parameters, so the decoder and encoder sizes must be equal.</summary>
public sealed class DotScore : AttentionScore
{
    public DotScore(int queryDim, int keyDim)
    {
        if (queryDim != keyDim)
            throw new ArgumentException($"dot attention needs model.decoder.hidden_size ({queryDim}) == model.encoder.hidden_size ({keyDim})");
    }

    public override Tensor Keys(Tensor encoderStates) => encoderStates.alias();

    public override Tensor Scores(Tensor query, Tensor keys) => bmm(query, keys.transpose(1, 2));   // [batch, tgtLen, srcLen]
}
