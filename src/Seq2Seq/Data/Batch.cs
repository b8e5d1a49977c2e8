using static TorchSharp.torch;

namespace Seq2Seq.Data;

/// <summary>One padded batch of id sequences as tensors.</summary>
/// <param name="Source">Source ids [batch, srcLen], padded with &lt;pad&gt; (an empty source becomes [&lt;unk&gt;]).</param>
/// <param name="SourceLengths">Real source lengths [batch], int64, always on the CPU: packing an RNN batch
/// (pack_padded_sequence) takes its lengths there, and the searches read them as host numbers.</param>
/// <param name="TargetIn">&lt;s&gt; + target [batch, tgtLen + 1] (null when decoding).</param>
/// <param name="TargetOut">target + &lt;/s&gt; [batch, tgtLen + 1] (null when decoding).</param>
/// <param name="TargetTokens">Non-pad tokens in TargetOut (incl. &lt;/s&gt;).</param>
public sealed record Batch(Tensor Source, Tensor SourceLengths, Tensor? TargetIn, Tensor? TargetOut, int TargetTokens)
{
    public long Size => Source.shape[0];

    /// <summary>Builds the tensors for the pairs at <paramref name="indices"/>; targets may be null (decoding).</summary>
    /// <param name="device">Where the id tensors go: the model's device (<c>Seq2SeqNetwork.Device</c>); null = the CPU.</param>
    public static Batch Create(IReadOnlyList<int[]> sources, IReadOnlyList<int[]>? targets, IReadOnlyList<int> indices, Device? device = null)
    {
        int n = indices.Count;
        int srcLen = 1;
        foreach (int i in indices) srcLen = Math.Max(srcLen, sources[i].Length);
        var src = new long[n * srcLen];
        var lengths = new long[n];
        Array.Fill(src, Vocabulary.Pad);
        for (int b = 0; b < n; b++)
        {
            int[] s = sources[indices[b]];
            if (s.Length == 0) { src[b * srcLen] = Vocabulary.Unk; lengths[b] = 1; continue; }
            for (int t = 0; t < s.Length; t++) src[b * srcLen + t] = s[t];
            lengths[b] = s.Length;
        }
        var source = tensor(src, [n, srcLen], device: device);
        var sourceLengths = tensor(lengths);                                    // on the CPU (see SourceLengths)
        if (targets is null) return new Batch(source, sourceLengths, null, null, 0);

        int tgtLen = 0;
        foreach (int i in indices) tgtLen = Math.Max(tgtLen, targets[i].Length + 1);
        var tin = new long[n * tgtLen];
        var tout = new long[n * tgtLen];
        Array.Fill(tin, Vocabulary.Pad);
        Array.Fill(tout, Vocabulary.Pad);
        int tokens = 0;
        for (int b = 0; b < n; b++)
        {
            int[] t = targets[indices[b]];
            tin[b * tgtLen] = Vocabulary.Bos;
            for (int j = 0; j < t.Length; j++)
            {
                tin[b * tgtLen + j + 1] = t[j];
                tout[b * tgtLen + j] = t[j];
            }
            tout[b * tgtLen + t.Length] = Vocabulary.Eos;
            tokens += t.Length + 1;
        }
        return new Batch(source, sourceLengths, tensor(tin, [n, tgtLen], device: device), tensor(tout, [n, tgtLen], device: device), tokens);
    }
}
