using Seq2Seq.Models;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Models;

public class RecurrentLayerTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void HandWrittenStepEqualsTheLibraryRnn(string type)
    {
        manual_seed(4);
        using var rnn = new RecurrentLayer(type, 6, 5, layers: 2, bidirectional: false, dropout: 0.3);
        rnn.eval();
        using var x = randn(3, 4, 6);                                           // [batch, time, in]
        var h0 = randn(2, 3, 5);
        var state0 = new RnnState(h0, type == "lstm" ? randn(2, 3, 5) : null);
        var (expected, expectedState) = rnn.Forward(x, state0);

        var weights = rnn.PrepareSteps();
        var state = state0;
        for (int t = 0; t < 4; t++)
        {
            var (o, next) = rnn.Step(x[.., t], state, weights);
            Assert.True(o.allclose(expected[.., t], rtol: 1e-4, atol: 1e-5), $"output differs at step {t}");
            state = next;
        }
        Assert.True(state.H.allclose(expectedState.H, rtol: 1e-4, atol: 1e-5));
        if (type == "lstm") Assert.True(state.C!.allclose(expectedState.C!, rtol: 1e-4, atol: 1e-5));
    }
}

public class RnnEncoderPackingTests
{
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void EachRowsFinalStateIsItsOwnWhateverTheLengthOrder(string type)
    {
        // The no-attention decoder reads only FinalH: a final state returned in length-sorted order instead of the batch's
        // order would hand each sentence another sentence's summary.
        manual_seed(5);
        using var encoder = new RnnEncoder(new Seq2Seq.Configuration.EncoderConfig { Type = type, HiddenSize = 8, Layers = 2 }, 20, 6, 0.0);
        encoder.eval();
        long[][] rows = [[5, 6], [7, 8, 9, 10, 11], [12, 13, 14]];               // lengths 2, 5, 3: not sorted
        var padded = rows.SelectMany(r => r.Concat(Enumerable.Repeat(1L, 5 - r.Length))).ToArray(); // 1 = <pad>
        var batch = encoder.Forward(tensor(padded).view(3, 5), tensor(rows.Select(r => (long)r.Length).ToArray()));
        for (int i = 0; i < rows.Length; i++)
        {
            var alone = encoder.Forward(tensor(rows[i]).view(1, -1), tensor(new long[] { rows[i].Length }));
            Assert.True(alone.FinalH[0].allclose(batch.FinalH[i], atol: 1e-5), $"row {i}: final h is not its own");
            if (type == "lstm") Assert.True(alone.FinalC![0].allclose(batch.FinalC![i], atol: 1e-5), $"row {i}: final c is not its own");
            Assert.True(alone.States[0].allclose(batch.States[i, ..rows[i].Length], atol: 1e-5), $"row {i}: states differ");
        }
    }
}
