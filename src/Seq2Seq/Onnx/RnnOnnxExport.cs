using Seq2Seq.Configuration;
using static TorchSharp.torch;

namespace Seq2Seq.Onnx;

/// <summary>
/// Writes an RNN <see cref="Models.EncoderDecoder"/> as ONNX graphs. Encoder: the LSTM/GRU stack as ONNX LSTM/GRU
/// operators (one per layer, both directions, <c>sequence_lens</c> from src_lengths so padding is skipped as by a
/// packed sequence), or the CNN blocks; then the attention keys and the bridged initial state. Memory:
/// <c>enc_states</c> [batch, src_len, enc], <c>enc_keys</c> [batch, src_len, hidden] (with attention),
/// <c>enc_final</c> [batch, enc] (without). State: <c>h</c> (and <c>c</c> for LSTM) [batch, layers, hidden] and the
/// last attentional vector <c>attentional</c> [batch, hidden]. Step: RnnDecoder's single step written out (one
/// matrix multiply per layer over [x; h]), the attention, the attentional layer and log-softmax.
/// </summary>
public static class RnnOnnxExport
{
    public static OnnxGraphs Build(ModelConfig config, IReadOnlyDictionary<string, Tensor> parameters, int targetVocab, bool int8, string producerVersion)
    {
        var dec = config.Decoder;
        bool hasAttention = dec.Attention != AttentionScores.None;
        bool lstm = dec.Type == RnnCellTypes.Lstm;
        var memory = new List<string> { "enc_states", hasAttention ? "enc_keys" : "enc_final" };
        var state = lstm ? new List<string> { "h", "c", "attentional" } : new List<string> { "h", "attentional" };
        var encoder = new EncoderWriter(config, new OnnxLayers(new OnnxGraph("rnn_encoder"), parameters, int8)).Write(producerVersion);
        var step = new StepWriter(config, new OnnxLayers(new OnnxGraph("rnn_decoder_step"), parameters, int8)).Write(targetVocab, producerVersion);
        return new OnnxGraphs(encoder, step, new OnnxSignature(memory, state, hasAttention, Gate: config.HasHybridAttention()));
    }

    // PyTorch packs gates as LSTM i,f,g,o and GRU r,z,n; ONNX expects LSTM i,o,f,c and GRU z,r,h.
    static readonly int[] LstmToOnnx = [0, 3, 1, 2];
    static readonly int[] GruToOnnx = [1, 0, 2];

    /// <summary>Where the attention score's parameters live (global, local and hybrid attention alike).</summary>
    const string ScorePrefix = "decoder.attention.score";

    static Tensor Reorder(Tensor gates, int[] order)
    {
        var chunks = gates.chunk(order.Length, 0);
        return cat(order.Select(i => chunks[i]).ToArray(), 0);
    }

    sealed class EncoderWriter(ModelConfig config, OnnxLayers n)
    {
        readonly OnnxGraph g = n.Graph;
        readonly EncoderConfig e = config.Encoder;
        readonly DecoderConfig d = config.Decoder;

        public byte[] Write(string version)
        {
            var src = g.Input(OnnxSignature.Source, OnnxType.Int64, "batch", "src_len");
            var lengths = g.Input(OnnxSignature.SourceLengths, OnnxType.Int64, "batch");
            var (states, finalH, finalC) = e.Type == EncoderTypes.Cnn ? Cnn(src, lengths) : Rnn(src, lengths);
            g.Output(states, "enc_states", OnnxType.Float, "batch", "src_len", e.HiddenSize);
            if (d.Attention != AttentionScores.None)
            {
                var keys = d.Attention is AttentionScores.Dot ? g.Op("Identity", [states]) : n.Linear(states, ScorePrefix + ".keyLayer", bias: false);
                g.Output(keys, "enc_keys", OnnxType.Float, "batch", "src_len", d.HiddenSize);
            }
            else g.Output(finalH, "enc_final", OnnxType.Float, "batch", e.HiddenSize);

            // RnnDecoder.InitialState: bridged (tanh(W h), W c) or zeros, the same for every decoder layer.
            string h, c;
            if (d.Bridge)
            {
                h = n.Tanh(n.Linear(finalH, "decoder.bridgeH"));                         // [batch, hidden]
                c = d.Type == RnnCellTypes.Lstm ? n.Linear(finalC ?? finalH, "decoder.bridgeC") : n.Zeros(finalH, d.HiddenSize);
            }
            else
            {
                h = n.Zeros(finalH, d.HiddenSize);
                c = h;
            }
            var perLayer = (string x) => n.Concat(1, Enumerable.Repeat(n.Unsqueeze(x, 1), d.Layers).ToArray()); // [batch, layers, hidden]
            g.Output(perLayer(h), "h", OnnxType.Float, "batch", d.Layers, d.HiddenSize);
            if (d.Type == RnnCellTypes.Lstm) g.Output(perLayer(c), "c", OnnxType.Float, "batch", d.Layers, d.HiddenSize);
            g.Output(n.Zeros(finalH, d.HiddenSize), "attentional", OnnxType.Float, "batch", d.HiddenSize);
            return g.ToBytes(version, "Seq2Seq.NET RNN encoder");
        }

        // RnnEncoder: embeddings → stacked (bi)LSTM/GRU over the real positions → states, top layer's final h (and c)
        (string States, string FinalH, string? FinalC) Rnn(string src, string lengths)
        {
            bool lstm = e.Type == RnnCellTypes.Lstm;
            int dirs = e.Bidirectional ? 2 : 1, hidden = e.HiddenSize / dirs;
            string module = lstm ? "encoder.rnn.lstm" : "encoder.rnn.gru";
            var x = n.Transpose(n.Embedding(src, "encoder.embed.weight"), 1, 0, 2);           // [src_len, batch, emb]
            var seqLens = n.Cast(lengths, OnnxType.Int32);
            string yh = "", yc = "";
            for (int l = 0; l < e.Layers; l++)
            {
                var suffixes = dirs == 2 ? new[] { $"l{l}", $"l{l}_reverse" } : [$"l{l}"];
                var order = lstm ? LstmToOnnx : GruToOnnx;
                var w = n.Weight($"{module}.W{l}", () => stack(suffixes.Select(s => Reorder(n.Param($"{module}.weight_ih_{s}").detach(), order)).ToArray()));
                var r = n.Weight($"{module}.R{l}", () => stack(suffixes.Select(s => Reorder(n.Param($"{module}.weight_hh_{s}").detach(), order)).ToArray()));
                var b = n.Weight($"{module}.B{l}", () => stack(suffixes.Select(s => cat([
                    Reorder(n.Param($"{module}.bias_ih_{s}").detach(), order), Reorder(n.Param($"{module}.bias_hh_{s}").detach(), order)], 0)).ToArray()));
                var attributes = new List<(string, object)> { ("hidden_size", (long)hidden), ("direction", dirs == 2 ? "bidirectional" : "forward") };
                if (!lstm) attributes.Add(("linear_before_reset", 1L));
                var outs = g.Ops(lstm ? "LSTM" : "GRU", [x, w, r, b, seqLens], lstm ? 3 : 2, attributes.ToArray());
                // Y [src_len, dirs, batch, hidden] → [src_len, batch, dirs · hidden] (directions concatenated, as PyTorch)
                x = n.Reshape(n.Transpose(outs[0], 0, 2, 1, 3), 0, 0, dirs * hidden);
                yh = outs[1];
                if (lstm) yc = outs[2];
            }
            // Y_h [dirs, batch, hidden] → [batch, dirs · hidden]
            string Final(string y) => n.Reshape(n.Transpose(y, 1, 0, 2), 0, dirs * hidden);
            return (n.Transpose(x, 1, 0, 2), Final(yh), lstm ? Final(yc) : null);
        }

        // CnnEncoder: (token + position embeddings) → linear → blocks of conv → GLU → residual → layer norm, padding zeroed
        (string States, string FinalH, string? FinalC) Cnn(string src, string lengths)
        {
            var srcLen = n.Dim(src, 1);
            var keep = n.Unsqueeze(n.Cast(g.Op("Not", [n.PaddingFromLengths(lengths, srcLen)]), OnnxType.Float), 2); // [batch, src_len, 1]
            var positions = g.Op("Range", [g.ScalarInt(0), srcLen, g.ScalarInt(1)]);
            var x = n.Add(n.Embedding(src, "encoder.embed.weight"), n.Embedding(positions, "encoder.positions.weight"));
            x = n.Mul(n.Linear(x, "encoder.toHidden"), keep);                                // [batch, src_len, hidden]
            for (int i = 0; i < e.Layers; i++)
            {
                var conv = g.Op("Conv", [n.Transpose(x, 0, 2, 1), n.Weight($"encoder.convs.{i}.weight"), n.Weight($"encoder.convs.{i}.bias")],
                    ("pads", new long[] { e.KernelWidth / 2, e.KernelWidth / 2 }));           // [batch, 2·hidden, src_len]
                var halves = n.Split(conv, 1, 2);
                var y = n.Transpose(n.Mul(halves[0], n.Sigmoid(halves[1])), 0, 2, 1);        // GLU → [batch, src_len, hidden]
                x = n.Mul(n.LayerNorm(n.Add(x, y), $"encoder.norms.{i}"), keep);
            }
            var summary = g.Op("Div", [g.Op("ReduceSum", [x, g.Ints(1)], ("keepdims", 0L)), g.Op("ReduceSum", [keep, g.Ints(1)], ("keepdims", 0L))]);
            return (x, summary, null);
        }
    }

    sealed class StepWriter(ModelConfig config, OnnxLayers n)
    {
        readonly OnnxGraph g = n.Graph;
        readonly DecoderConfig d = config.Decoder;
        readonly int encSize = config.Encoder.HiddenSize;
        string Module => d.Type == RnnCellTypes.Lstm ? "decoder.rnn.lstm" : "decoder.rnn.gru";
        string srcLengths = "", states = "", keys = "", final = "", step = "";
        string? gate;

        public byte[] Write(int targetVocab, string version)
        {
            bool lstm = d.Type == RnnCellTypes.Lstm, bahdanau = d.Attention == AttentionScores.Additive, attention = d.Attention != AttentionScores.None;
            bool inputFeeding = d.InputFeeding && !bahdanau;
            var previous = g.Input(OnnxSignature.Previous, OnnxType.Int64, "batch");
            step = g.Input(OnnxSignature.Step, OnnxType.Int64);
            srcLengths = g.Input(OnnxSignature.SourceLengths, OnnxType.Int64, "batch");
            states = g.Input("enc_states", OnnxType.Float, "batch", "src_len", encSize);
            if (attention) keys = g.Input("enc_keys", OnnxType.Float, "batch", "src_len", d.HiddenSize);
            else final = g.Input("enc_final", OnnxType.Float, "batch", encSize);
            var h = g.Input("h", OnnxType.Float, "batch", d.Layers, d.HiddenSize);
            var c = lstm ? g.Input("c", OnnxType.Float, "batch", d.Layers, d.HiddenSize) : null;
            var attentional = g.Input("attentional", OnnxType.Float, "batch", d.HiddenSize);

            var emb = n.Embedding(previous, "decoder.embed.weight");                         // [batch, emb]
            string output, context;
            string? weights = null;
            string[] hs, cs;
            if (bahdanau)
            {
                (context, weights) = Attend(n.Take(h, 1, d.Layers - 1));                     // query: previous top h
                (output, hs, cs) = RnnStep(n.Concat(1, emb, context), h, c);
            }
            else
            {
                (output, hs, cs) = RnnStep(inputFeeding ? n.Concat(1, emb, attentional) : emb, h, c);
                if (attention) (context, weights) = Attend(output);
                else context = final;
            }
            var att = n.Tanh(n.Linear(n.Concat(1, output, context), "decoder.attentionLayer")); // [batch, hidden]
            string outputWeight = n.Has("decoder.output.weight") ? "decoder.output.weight" : "decoder.embed.weight";
            var logits = n.MatMulWeight(att, outputWeight, () => n.Param(outputWeight).detach(), n.Weight("decoder.output.bias"));
            g.Output(g.Op("LogSoftmax", [logits], ("axis", -1L)), OnnxSignature.LogProbs, OnnxType.Float, "batch", targetVocab);
            if (weights is not null) g.Output(n.Squeeze(weights, 1), OnnxSignature.AttentionOutput, OnnxType.Float, "batch", "src_len");
            if (gate is not null) g.Output(n.Reshape(gate, -1), OnnxSignature.GateOutput, OnnxType.Float, "batch");
            var stackLayers = (string[] xs) => n.Concat(1, xs.Select(x => n.Unsqueeze(x, 1)).ToArray());
            g.Output(stackLayers(hs), "next_h", OnnxType.Float, "batch", d.Layers, d.HiddenSize);
            if (lstm) g.Output(stackLayers(cs), "next_c", OnnxType.Float, "batch", d.Layers, d.HiddenSize);
            g.Output(att, "next_attentional", OnnxType.Float, "batch", d.HiddenSize);
            return g.ToBytes(version, "Seq2Seq.NET RNN decoder step");
        }

        // RecurrentLayer.Step: x [batch, in] through every layer → top output and each layer's new h (and c)
        (string Output, string[] H, string[] C) RnnStep(string x, string h, string? c)
        {
            var hs = new string[d.Layers];
            var cs = new string[d.Layers];
            for (int l = 0; l < d.Layers; l++)
            {
                var hl = n.Take(h, 1, l);                                                    // [batch, hidden]
                if (c is not null)
                {
                    // [x; h] · [W_ih W_hh]ᵀ + b_ih + b_hh → gates i, f, g, o
                    var gates = n.Split(n.MatMulWeight(n.Concat(1, x, hl), $"{Module}.combined_l{l}",
                        () => cat([n.Param($"{Module}.weight_ih_l{l}").detach(), n.Param($"{Module}.weight_hh_l{l}").detach()], 1),
                        n.Weight($"{Module}.bias_l{l}", () => n.Param($"{Module}.bias_ih_l{l}").detach() + n.Param($"{Module}.bias_hh_l{l}").detach())), 1, 4);
                    cs[l] = n.Add(n.Mul(n.Sigmoid(gates[1]), n.Take(c, 1, l)), n.Mul(n.Sigmoid(gates[0]), n.Tanh(gates[2])));
                    hs[l] = n.Mul(n.Sigmoid(gates[3]), n.Tanh(cs[l]));
                }
                else
                {
                    var gi = n.Split(n.Linear(x, $"{Module}.weight_ih_l{l}", $"{Module}.bias_ih_l{l}"), 1, 3);
                    var gh = n.Split(n.Linear(hl, $"{Module}.weight_hh_l{l}", $"{Module}.bias_hh_l{l}"), 1, 3);
                    var r = n.Sigmoid(n.Add(gi[0], gh[0]));
                    var z = n.Sigmoid(n.Add(gi[1], gh[1]));
                    var candidate = n.Tanh(n.Add(gi[2], n.Mul(r, gh[2])));
                    hs[l] = n.Add(candidate, n.Mul(z, n.Sub(hl, candidate)));
                }
                x = hs[l];
            }
            return (x, hs, cs);
        }

        // The configured attention for query [batch, hidden] → context [batch, enc], weights [batch, 1, src_len]
        (string Context, string Weights) Attend(string query)
        {
            var q = n.Unsqueeze(query, 1);                                                   // [batch, 1, hidden]
            var scores = Scores(q);                                                          // [batch, 1, src_len]
            var blocked = n.Unsqueeze(n.PaddingFromLengths(srcLengths, n.Dim(states, 1)), 1); // [batch, 1, src_len]
            string weights = d.AttentionType switch
            {
                AttentionTypes.Global => Normalize(scores, blocked),
                AttentionTypes.Hybrid => Hybrid(q, scores, blocked),
                _ => Local(d.AttentionType, "decoder.attention", q, scores, blocked),
            };
            return (n.Squeeze(g.Op("MatMul", [weights, states]), 1), weights);
        }

        string Normalize(string scores, string blocked) =>
            g.Op("Softmax", [g.Op("Where", [blocked, g.Scalar(float.NegativeInfinity), scores])], ("axis", -1L));

        // AttentionScore.Scores for one query step: q [batch, 1, hidden], keys [batch, src_len, hidden]
        string Scores(string q)
        {
            if (d.Attention is AttentionScores.Dot or AttentionScores.General) return g.Op("MatMul", [q, n.Transpose(keys, 0, 2, 1)]);
            var projected = n.Linear(q, ScorePrefix + ".queryLayer", bias: d.Attention == AttentionScores.Additive);  // [batch, 1, hidden]
            var v = n.Linear(n.Tanh(n.Add(projected, keys)), ScorePrefix + ".v", bias: false);         // [batch, src_len, 1]
            return n.Transpose(v, 0, 2, 1);
        }

        // LocalAttention.Weights: the window around p_t (local-m: min(t, S − 1); local-p: S · sigmoid(v_pᵀ tanh(W_p q)),
        // with the Gaussian in log space), renormalised over the window
        string Local(string kind, string prefix, string q, string scores, string blocked)
        {
            var length = n.Unsqueeze(n.Cast(srcLengths, OnnxType.Float), 1, 2);             // [batch, 1, 1]
            string p = kind == AttentionTypes.LocalP
                ? n.Mul(length, n.Sigmoid(n.Linear(n.Tanh(n.Linear(q, prefix + ".wp", bias: false)), prefix + ".vp", bias: false))) // [batch, 1, 1]
                : g.Op("Min", [n.Cast(step, OnnxType.Float), n.Sub(length, g.Scalar(1))]);
            var s = n.Cast(g.Op("Range", [g.ScalarInt(0), n.Dim(states, 1), g.ScalarInt(1)]), OnnxType.Float); // [src_len]
            var distance = n.Sub(s, p);                                                      // [batch, 1, src_len]
            var outside = g.Op("Or", [g.Op("Greater", [g.Op("Abs", [distance]), g.Scalar(d.LocalWindow)]), blocked]);
            if (kind == AttentionTypes.LocalP)
            {
                double sigma = d.LocalWindow / 2.0;
                scores = n.Sub(scores, g.Op("Div", [n.Mul(distance, distance), g.Scalar((float)(2 * sigma * sigma))]));
            }
            return Normalize(scores, outside);
        }

        // HybridAttention: g · global + (1 − g) · local, g = sigmoid(w_gᵀ q + b)
        string Hybrid(string q, string scores, string blocked)
        {
            var global = Normalize(scores, blocked);
            var local = Local(d.HybridLocal, "decoder.attention.local", q, scores, blocked);
            gate = n.Sigmoid(n.Linear(q, "decoder.attention.gate"));                        // [batch, 1, 1]
            return n.Add(n.Mul(gate, global), n.Mul(n.Sub(g.Scalar(1), gate), local));
        }
    }
}
