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
