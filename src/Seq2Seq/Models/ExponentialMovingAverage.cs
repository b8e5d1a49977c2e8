using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Models;

/// <summary>
/// An exponential moving average of a model's parameters (Polyak averaging; Marian's exponential smoothing):
/// after each update, shadow ← decay · shadow + (1 − decay) · parameter. The averaged weights are what validation
/// sees and what the best checkpoint holds; training continues on the raw ones. During training the decay of update n
/// is min(decay, (1 + n) / (10 + n)) (TensorFlow's ExponentialMovingAverage with num_updates): the average forgets
/// the random initial weights within the first few hundred updates instead of carrying them for ≈ 1 / (1 − decay).
/// </summary>
public sealed class ExponentialMovingAverage : IDisposable
{
    readonly IReadOnlyList<Parameter> parameters;
    readonly Tensor[] shadow;

    /// <param name="decay">The weight of the old average per update, in (0, 1): about 1 / (1 − decay) recent updates count.</param>
    public ExponentialMovingAverage(nn.Module model, double decay)
    {
        if (decay is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(decay), decay, "must lie strictly between 0 and 1");
        Decay = decay;
        // Once per tensor: a tied or shared matrix may be listed under several names.
        parameters = model.parameters().DistinctBy(p => p.Handle).ToList();
        using (no_grad()) shadow = parameters.Select(p => p.detach().clone()).ToArray();
    }

    public double Decay { get; }

    /// <summary>Moves the average one update towards the current parameters, with the full decay.</summary>
    public void Update() => Update(Decay);

    /// <summary>Moves the average towards the current parameters after training update <paramref name="update"/>
    /// (1-based), with the decay min(<see cref="Decay"/>, (1 + n) / (10 + n)).</summary>
    public void Update(long update) => Update(Math.Min(Decay, (1.0 + update) / (10.0 + update)));

    void Update(double decay)
    {
        using var _ = no_grad();
        for (int i = 0; i < shadow.Length; i++)
            shadow[i].mul_(decay).add_(parameters[i], alpha: 1 - decay);
    }

    /// <summary>Restarts the average at the model's current weights.</summary>
    public void Reset()
    {
        using var _ = no_grad();
        for (int i = 0; i < shadow.Length; i++) shadow[i].copy_(parameters[i]);
    }

    /// <summary>Puts the averaged weights into the model until the returned scope is disposed (then the raw weights
    /// are back, bit for bit): <c>using (ema.Apply()) Validate(model);</c></summary>
    public IDisposable Apply()
    {
        Swap();
        return new Restore(this);
    }

    /// <summary>Writes the averaged weights in the model's own state-dict format.</summary>
    public void Save(nn.Module model, BinaryWriter writer)
    {
        using (Apply()) model.save(writer);
    }

    /// <summary>Reads averaged weights written by <see cref="Save"/>; the model's own weights are left as they were.</summary>
    public void Load(nn.Module model, BinaryReader reader)
    {
        Swap();
        try { model.load(reader); }
        finally { Swap(); }
    }

    /// <summary>Exchanges the model's parameters with the averaged ones.</summary>
    void Swap()
    {
        using var _ = no_grad();
        for (int i = 0; i < shadow.Length; i++)
        {
            using var raw = parameters[i].detach().clone();
            parameters[i].copy_(shadow[i]);
            shadow[i].copy_(raw);
        }
    }

    public void Dispose()
    {
        foreach (var t in shadow) t.Dispose();
    }

    sealed class Restore(ExponentialMovingAverage owner) : IDisposable
    {
        bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            owner.Swap();
        }
    }
}
