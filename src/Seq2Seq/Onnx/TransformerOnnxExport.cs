using Seq2Seq.Configuration;
using static TorchSharp.torch;

namespace Seq2Seq.Onnx;

/// <summary>
/// Writes a <see cref="Models.Transformer"/> as two ONNX graphs, following its forward pass operation by operation.
/// Encoder: src, src_lengths → per decoder layer the cross-attention keys and values <c>cross_k_l</c>/<c>cross_v_l</c>
/// [batch, heads, src_len, head] (memory) and empty self-attention caches <c>self_k_l</c>/<c>self_v_l</c>
/// [batch, heads, 0, head] (state). Step: the previous token at position <c>step</c> → log-probabilities, the last
/// layer's cross-attention averaged over heads, and the caches grown by one position (<c>next_self_k_l</c>, …).
/// Source padding is masked from src_lengths.
/// </summary>
public static class TransformerOnnxExport
{
    public static OnnxGraphs Build(TransformerConfig config, IReadOnlyDictionary<string, Tensor> parameters, int targetVocab,
        bool int8, string producerVersion)
    {
        int layers = config.DecoderLayers;
        var memory = Enumerable.Range(0, layers).SelectMany(l => new[] { $"cross_k_{l}", $"cross_v_{l}" }).ToList();
        var state = Enumerable.Range(0, layers).SelectMany(l => new[] { $"self_k_{l}", $"self_v_{l}" }).ToList();
        // One writer (graph) per ONNX model; both read the same parameters.
        return new OnnxGraphs(new Writer(config, parameters, int8).Encoder(producerVersion),
            new Writer(config, parameters, int8).Step(targetVocab, producerVersion),
            new OnnxSignature(memory, state, Attention: true));
    }

    sealed class Writer
    {
        readonly TransformerConfig c;
        readonly OnnxGraph g;
        readonly OnnxLayers n;
        readonly int heads, d, headSize;

        public Writer(TransformerConfig config, IReadOnlyDictionary<string, Tensor> parameters, bool int8)
        {
            c = config;
            heads = config.Heads;
            d = config.ModelSize;
            headSize = d / heads;
            g = new OnnxGraph("transformer");
            n = new OnnxLayers(g, parameters, int8);
        }

        // A shared matrix appears in the state_dict once, under the first field that holds it.
        string SourceEmbedding => n.Has("sourceEmbedding") ? "sourceEmbedding" : "targetEmbedding";
        string TargetEmbedding => n.Has("targetEmbedding") ? "targetEmbedding" : "sourceEmbedding";
        string OutputWeight => n.Has("outputWeight") ? "outputWeight" : TargetEmbedding;

        public byte[] Encoder(string version)
        {
            var src = g.Input(OnnxSignature.Source, OnnxType.Int64, "batch", "src_len");
            var lengths = g.Input(OnnxSignature.SourceLengths, OnnxType.Int64, "batch");
            var srcLen = n.Dim(src, 1);
            var blocked = n.Unsqueeze(n.PaddingFromLengths(lengths, srcLen), 1, 2);          // [batch, 1, 1, src_len]
            var positions = g.Op("Range", [g.ScalarInt(0), srcLen, g.ScalarInt(1)]);        // [src_len]
            var x = Embed(SourceEmbedding, "sourcePositions", src, positions);               // [batch, src_len, d]
            for (int l = 0; l < c.EncoderLayers; l++)
            {
                string p = $"encoderLayers.{l}";
                var h = n.LayerNorm(x, p + ".selfNorm");
                var (k, v) = KeysValues(h, p + ".selfAttention");
                x = n.Add(x, Attention(h, k, v, blocked, p + ".selfAttention").Output);
                x = n.Add(x, FeedForward(n.LayerNorm(x, p + ".feedForwardNorm"), p + ".feedForward"));
            }
            x = n.LayerNorm(x, "encoderNorm");                                               // [batch, src_len, d]
            for (int l = 0; l < c.DecoderLayers; l++)
            {
                var (k, v) = KeysValues(x, $"decoderLayers.{l}.crossAttention");
                g.Output(k, $"cross_k_{l}", OnnxType.Float, "batch", heads, "src_len", headSize);
                g.Output(v, $"cross_v_{l}", OnnxType.Float, "batch", heads, "src_len", headSize);
                // The empty self-attention caches: zero positions of the keys' shape.
                var empty = g.Op("Slice", [k, g.Ints(0), g.Ints(0), g.Ints(2)]);           // [batch, heads, 0, head]
                g.Output(empty, $"self_k_{l}", OnnxType.Float, "batch", heads, 0, headSize);
                g.Output(g.Op("Identity", [empty]), $"self_v_{l}", OnnxType.Float, "batch", heads, 0, headSize);
            }
            return g.ToBytes(version, "Seq2Seq.NET Transformer encoder");
        }

        public byte[] Step(int targetVocab, string version)
        {
            var previous = g.Input(OnnxSignature.Previous, OnnxType.Int64, "batch");
            var step = g.Input(OnnxSignature.Step, OnnxType.Int64);
            var lengths = g.Input(OnnxSignature.SourceLengths, OnnxType.Int64, "batch");
            var cross = Enumerable.Range(0, c.DecoderLayers).Select(l => (
                K: g.Input($"cross_k_{l}", OnnxType.Float, "batch", heads, "src_len", headSize),
                V: g.Input($"cross_v_{l}", OnnxType.Float, "batch", heads, "src_len", headSize))).ToList();
            var cache = Enumerable.Range(0, c.DecoderLayers).Select(l => (
                K: g.Input($"self_k_{l}", OnnxType.Float, "batch", heads, "step", headSize),
                V: g.Input($"self_v_{l}", OnnxType.Float, "batch", heads, "step", headSize))).ToList();
            var blocked = n.Unsqueeze(n.PaddingFromLengths(lengths, n.Dim(cross[0].K, 2)), 1, 2); // [batch, 1, 1, src_len]
            var x = Embed(TargetEmbedding, "targetPositions", n.Unsqueeze(previous, 1), n.Reshape(step, 1)); // [batch, 1, d]
            string probs = "";
            for (int l = 0; l < c.DecoderLayers; l++)
            {
                string p = $"decoderLayers.{l}";
                var h = n.LayerNorm(x, p + ".selfNorm");
                var (k, v) = KeysValues(h, p + ".selfAttention");                            // [batch, heads, 1, head]
                var selfK = n.Concat(2, cache[l].K, k);                                      // [batch, heads, step + 1, head]
                var selfV = n.Concat(2, cache[l].V, v);
                g.Output(selfK, $"next_self_k_{l}", OnnxType.Float, "batch", heads, "next_step", headSize);
                g.Output(selfV, $"next_self_v_{l}", OnnxType.Float, "batch", heads, "next_step", headSize);
                x = n.Add(x, Attention(h, selfK, selfV, null, p + ".selfAttention").Output);
                (var context, probs) = Attention(n.LayerNorm(x, p + ".crossNorm"), cross[l].K, cross[l].V, blocked, p + ".crossAttention");
                x = n.Add(x, context);
                x = n.Add(x, FeedForward(n.LayerNorm(x, p + ".feedForwardNorm"), p + ".feedForward"));
            }
            var hidden = n.Squeeze(n.LayerNorm(x, "decoderNorm"), 1);                        // [batch, d]
            var logits = n.MatMulWeight(hidden, OutputWeight, () => n.Param(OutputWeight).detach(), n.Weight("outputBias"));       // [batch, vocab]
            g.Output(g.Op("LogSoftmax", [logits], ("axis", -1L)), OnnxSignature.LogProbs, OnnxType.Float, "batch", targetVocab);
            var weights = g.Op("ReduceMean", [probs], ("axes", new long[] { 1, 2 }), ("keepdims", 0L)); // [batch, src_len]
            g.Output(weights, OnnxSignature.AttentionOutput, OnnxType.Float, "batch", "src_len");
            return g.ToBytes(version, "Seq2Seq.NET Transformer decoder step");
        }

        // ids [batch, len] at int64 positions [len] → emb · √d + positions [batch, len, d]
        string Embed(string embedding, string positionsPrefix, string ids, string positions)
        {
            var tokens = n.Mul(n.Embedding(ids, embedding), (float)Math.Sqrt(d));
            string pos;
            if (c.Positions == PositionKinds.Learned)
                pos = n.Embedding(positions, positionsPrefix + ".table.weight");               // [len, d]
            else
            {
                // PositionEmbedding's sinusoids: angle(p, i) = p · rate_i, sin and cos interleaved.
                using var rates = exp(arange(0, d, 2, dtype: ScalarType.Float32) * (-Math.Log(10000.0) / d)); // [d/2]
                var rateName = n.Graph.Initializer(positionsPrefix + ".rates", rates);
                var angles = n.Mul(n.Unsqueeze(n.Graph.Op("Cast", [positions], ("to", (long)OnnxType.Float)), 1), rateName); // [len, d/2]
                var sin = n.Unsqueeze(n.Graph.Op("Sin", [angles]), 2);
                var cos = n.Unsqueeze(n.Graph.Op("Cos", [angles]), 2);
                pos = n.Reshape(n.Concat(2, sin, cos), -1, d);                                  // [len, d]
            }
            return n.Add(tokens, pos);
        }

        // [batch, len, d] → [batch, heads, len, head]
        string SplitHeads(string x) => n.Transpose(n.Reshape(x, 0, 0, heads, headSize), 0, 2, 1, 3);

        (string K, string V) KeysValues(string x, string prefix) =>
            (SplitHeads(n.Linear(x, prefix + ".key")), SplitHeads(n.Linear(x, prefix + ".value")));

        // MultiHeadAttention.Forward: queries [batch, tq, d], keys/values [batch, heads, tk, head], blocked broadcastable
        // to [batch, heads, tq, tk] → outputs [batch, tq, d], probabilities [batch, heads, tq, tk]
        (string Output, string Probs) Attention(string x, string keys, string values, string? blocked, string prefix)
        {
            var q = n.Mul(SplitHeads(n.Linear(x, prefix + ".query")), (float)(1 / Math.Sqrt(headSize)));
            var scores = g.Op("MatMul", [q, n.Transpose(keys, 0, 1, 3, 2)]);                 // [batch, heads, tq, tk]
            if (blocked is not null) scores = g.Op("Where", [blocked, g.Scalar(float.NegativeInfinity), scores]);
            var probs = g.Op("Softmax", [scores], ("axis", -1L));
            var context = g.Op("MatMul", [probs, values]);                                   // [batch, heads, tq, head]
            var merged = n.Reshape(n.Transpose(context, 0, 2, 1, 3), 0, 0, d);               // [batch, tq, d]
            return (n.Linear(merged, prefix + ".output"), probs);
        }

        string FeedForward(string x, string prefix) =>
            n.Linear(g.Op("Relu", [n.Linear(x, prefix + ".inner")]), prefix + ".outer");
    }
}
