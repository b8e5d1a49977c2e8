using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Seq2Seq.Configuration;
using Seq2Seq.Data;
using Seq2Seq.Models;
using Seq2Seq.Runs;
using Seq2Seq.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>s2s profile CONFIG.yaml [--steps N]</c>: where a training step's time goes (encoder, decoder, output layer and
/// loss, backward, clipping, optimiser, batch creation), measured on the config's own data and model.
/// With <c>--scaling DIR</c> it measures the scaling curves instead (see <see cref="ScalingCurves"/>).
/// </summary>
public static class ProfileCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("config") { Description = "YAML config" };
        var set = new Option<string[]>("--set") { Description = "Override a config key (repeatable)" };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after 3 warm-up steps)", DefaultValueFactory = _ => 10 };
        var scaling = new Option<string?>("--scaling") { Description = "Measure the scaling curves instead (tokens/s vs batch size and length; with --model, sentences/s vs beam) and write them to this folder" };
        var model = new Option<string?>("--model") { Description = "With --scaling: a trained run directory for the decoding curve" };
        var input = new Option<string?>("--input") { Description = "With --scaling --model: source sentences to translate" };
        var command = new Command("profile", "Time the parts of a training step, or measure scaling curves") { config, set, steps, scaling, model, input };
        command.SetAction(parse => Run(ConfigLoader.Load(parse.GetValue(config)!, parse.GetValue(set) ?? []), parse.GetValue(steps),
            parse.GetValue(scaling), parse.GetValue(model), parse.GetValue(input)));
        return command;
    }

    /// <summary>Measured float32 matrix-multiply rate of libtorch on the configured threads (the machine's practical peak).</summary>
    public static double MatmulGflops(int n = 2048, int repeats = 8)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n);
        var b = randn(n, n);
        return Gflops(() => mm(a, b), 2.0 * n * n * n, repeats);
    }

    /// <summary>GFLOP/s of x [rows, width] through W [vocab, width] as <c>linear(x, W)</c> and as (W · xᵀ)ᵀ.</summary>
    static (double Linear, double FewRow) OutputLayerGflops(long rows, long width, long vocab, int repeats)
    {
        using var scope = NewDisposeScope();
        var x = randn(rows, width);
        var w = randn(vocab, width);
        double flops = 2.0 * rows * width * vocab;
        return (Gflops(() => nn.functional.linear(x, w), flops, repeats), Gflops(() => FewRowLinear.Apply(x, w, null), flops, repeats));
    }

    /// <summary>Rate of <paramref name="product"/> (<paramref name="flops"/> each) over <paramref name="repeats"/> timed
    /// calls after 2 warm-up calls.</summary>
    static double Gflops(Func<Tensor> product, double flops, int repeats)
    {
        for (int i = 0; i < 2; i++) product().Dispose();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) product().Dispose();
        return flops * repeats / clock.Elapsed.TotalSeconds / 1e9;
    }

    /// <summary>
    /// The rates of the decoder recurrence's products at a training batch's shape, in both layouts: the first layer's
    /// step product [rows, in + hidden] · [in + hidden, gates · hidden], its input gradient, and its weight gradient
    /// per step (inner dimension: the rows) and once over all steps (what a once-per-loop weight gradient would run;
    /// docs/performance.md says why training keeps the per-step one). They run once per target step on a batch's
    /// sentences, not its tokens, so these rates, not the square-matrix peak, bound the loop's share.
    /// </summary>
    static void RecurrenceRates(ModelConfig m, int rows, int steps, double peak)
    {
        using var scope = NewDisposeScope();
        var d = m.Decoder;
        long hidden = d.HiddenSize, gates = d.Type == RnnCellTypes.Gru ? 3 : 4;
        long input = m.EmbeddingSize + (d.Attention == AttentionScores.Additive ? m.Encoder.HiddenSize : d.InputFeeding ? hidden : 0) + hidden;
        var x = randn(rows, input);
        var w = randn(gates * hidden, input);
        var dy = randn(rows, gates * hidden);
        var xs = randn(rows * steps, input);
        var dys = randn(rows * steps, gates * hidden);
        double flops = 2.0 * rows * input * gates * hidden;
        string Rate(Func<Tensor> product, double f)
        {
            double r = Gflops(product, f, 20);
            return string.Create(CultureInfo.InvariantCulture, $"{r:F1} GFLOP/s ({100 * r / peak:F0} %)");
        }
        Console.WriteLine($"decoder recurrence, first layer, {rows} rows × {input} · {input} × {gates * hidden}, % of the mm peak:");
        Console.WriteLine($"  forward         x · Wᵀ {Rate(() => mm(x, w.t()), flops)}   (W · xᵀ)ᵀ {Rate(() => mm(w, x.t()).t(), flops)}");
        Console.WriteLine($"  input gradient  dy · W {Rate(() => mm(dy, w), flops)}   (Wᵀ · dyᵀ)ᵀ {Rate(() => mm(w.t(), dy.t()).t(), flops)}");
        Console.WriteLine($"  weight gradient per step dyᵀ · x {Rate(() => mm(dy.t(), x), flops)}   over {steps} steps at once {Rate(() => mm(dys.t(), xs), flops * steps)}");
    }

    static int Run(RunConfig config, int steps, string? scalingDir, string? modelDir, string? input)
    {
        var t = config.Training;
        torch.set_num_threads(t.Threads > 0 ? t.Threads : Environment.ProcessorCount);
        // Learned tokeniser files (BPE merges) go to a scratch run directory, not the config's.
        var scratch = new RunDirectory(Path.Combine(Path.GetTempPath(), $"s2s-profile-{Guid.NewGuid():N}"));
        PreparedData data;
        try { data = PreparedData.Load(config.Data with { Dev = "", Test = "" }, scratch, null, Console.Error.WriteLine); }
        finally { if (Directory.Exists(scratch.Path)) Directory.Delete(scratch.Path, recursive: true); }
        if (scalingDir is not null) return ScalingCurves.Run(config, data, scalingDir, modelDir, input, steps);
        torch.manual_seed(t.Seed);
        using var model = ModelBuilder.Build(config.Model, data.SourceVocab.Count, data.TargetVocab.Count);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.Adam(parameters, t.LearningRate);
        var batches = BatchPlanner.TrainingBatches(data.Train.Sources, data.Train.Targets, t.BatchTokens, t.Seed, 0);
        var phases = new Dictionary<string, double>();
        long tokens = 0, sentences = 0;
        model.train();
        for (int s = 0; s < steps + 3; s++)
        {
            bool timed = s >= 3;
            var clock = Stopwatch.StartNew();
            void Mark(string phase)
            {
                if (timed) phases[phase] = phases.GetValueOrDefault(phase) + clock.Elapsed.TotalSeconds;
                clock.Restart();
            }
            using var scope = NewDisposeScope();
            var batch = Batch.Create(data.Train.Sources, data.Train.Targets, batches[s % batches.Count], model.Device);
            Mark("batch tensors");
            optimizer.zero_grad();
            var (memory, state) = model.Encode(batch.Source, batch.SourceLengths);
            Mark("encoder forward");
            var (output, _, _) = model.Decode(batch.TargetIn!, memory, state);
            Mark("decoder forward");
            var gold = batch.TargetOut!.view(-1);
            var rows = gold.ne(Vocabulary.Pad).nonzero().squeeze(1);
            var logits = model.Output(output.Rows(rows));
            Mark("output layer (non-pad positions)");
            var loss = TokenLoss.Sum(logits, batch.TargetOut!, t.LabelSmoothing) / batch.TargetTokens;   // the trainer's loss
            loss.item<float>();
            Mark("loss");
            loss.backward();
            Mark("backward");
            nn.utils.clip_grad_norm_(parameters, t.ClipNorm);
            Mark("clip");
            optimizer.step();
            Mark("optimiser");
            if (timed) (tokens, sentences) = (tokens + batch.TargetTokens, sentences + batch.Source.shape[0]);
        }
        double total = phases.Values.Sum();
        double peak = MatmulGflops();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"matmul peak (libtorch mm, {torch.get_num_threads()} threads): {peak:F1} GFLOP/s"));
        // The shape a greedy decoding step spends most on: one decoding batch through the output layer, in nn.Linear's
        // layout (x · Wᵀ) and in the one FewRowLinear uses for ≤ 64 rows ((W · xᵀ)ᵀ).
        long decodeRows = config.Decoding.BatchSize, width = config.Model.Type == ModelTypes.Transformer ? config.Model.Transformer.ModelSize : config.Model.Decoder.HiddenSize;
        var (linearRate, fewRowRate) = OutputLayerGflops(decodeRows, width, data.TargetVocab.Count, 50);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"matmul at the decoding step's output-layer shape ({decodeRows} × {width} · {width} × {data.TargetVocab.Count}): linear(x, W) {linearRate:F1} GFLOP/s, FewRowLinear (≤ {FewRowLinear.MaxRows} rows: (W · xᵀ)ᵀ) {fewRowRate:F1} GFLOP/s"));
        if (config.Model.Type != ModelTypes.Transformer) RecurrenceRates(config.Model, (int)(sentences / steps), (int)Math.Round((double)tokens / sentences), peak);
        foreach (var (phase, sec) in phases)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase,-40} {sec / steps * 1000,9:F1} ms/step {100 * sec / total,6:F1} %"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"total",-40} {total / steps * 1000,9:F1} ms/step   {tokens / total:F0} target tokens/s"));
        double srcTokens = data.Train.Sources.Sum(s => (double)s.Length), tgtTokens = data.Train.Targets.Sum(s => s.Length + 1.0);
        double flops = ModelFlops.ForwardPerTargetToken(config.Model, data.TargetVocab.Count, srcTokens / tgtTokens, srcTokens / data.Train.Count);
        double reached = 3 * flops * tokens / total / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model FLOPs per target token: {flops / 1e6:F1} M forward, ≈ {3 * flops / 1e6:F1} M forward + backward; training reaches {reached:F1} GFLOP/s = {100 * reached / peak:F0} % of the mm peak"));
        return CliErrors.Ok;
    }
}
