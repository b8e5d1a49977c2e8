using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// x_t · Wᵀ + b at every step t of a loop (the decoder's recurrence in training), with the gradients of W and b taken
/// once for the whole loop: dW = Σ_t dy_tᵀ x_t as one product over all the steps' rows, when the backward pass has
/// differentiated the last of the steps. Plain autograd takes one thin product per step (its inner dimension is the
/// batch's rows) and adds each into a gradient the size of the whole matrix; the effect is measured in
/// docs/performance.md ("Changes and their measured effect"). The input gradient dx_t = dy_t · W is still taken at each
/// step, where the recurrence needs it. Every step's output must reach the loss, as each decoder step's does (through
/// that step's prediction); one object serves one forward pass and its one backward pass.
/// </summary>
/// <param name="weight">[out, in], part of the autograd graph (its gradient flows on to the parameters it is made of)</param>
/// <param name="bias">[out]</param>
public sealed class LoopLinear(Tensor weight, Tensor bias)
{
    readonly Tensor weight = weight;
    readonly List<Tensor> inputs = [];                                           // x_t [rows, in], in step order
    readonly List<Tensor?> outputGrads = [];                                     // dy_t [rows, out], filled by the backward pass
    int pending;                                                                 // steps not differentiated yet

    /// <param name="x">[rows, in]</param>
    /// <returns>[rows, out]</returns>
    public Tensor Apply(Tensor x) => Step.apply(x, weight, bias, this);

    sealed class Step : autograd.SingleTensorFunction<Step>
    {
        public override string Name => nameof(LoopLinear);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, w, b, loop) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (LoopLinear)vars[3]);
            ctx.save_data("loop", loop);
            ctx.save_data("step", loop.inputs.Count);
            loop.inputs.Add(x);
            loop.outputGrads.Add(null);
            loop.pending++;
            return FewRowLinear.Apply(x, w, b).contiguous();                    // [rows, out]
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad)
        {
            var loop = (LoopLinear)ctx.get_data("loop");
            loop.outputGrads[(int)ctx.get_data("step")] = grad;
            var dx = mm(grad, loop.weight);                                      // [rows, in]
            if (--loop.pending > 0) return [dx, null!, null!, null!];
            var dy = cat(loop.outputGrads.Select(g => g!).ToList(), 0);          // [steps · rows, out]
            var dw = mm(dy.t(), cat(loop.inputs, 0));                            // [out, in]
            var db = dy.sum(dim: 0);                                                 // [out]
            loop.inputs.Clear();
            loop.outputGrads.Clear();
            return [dx, dw, db, null!];
        }
    }
}
