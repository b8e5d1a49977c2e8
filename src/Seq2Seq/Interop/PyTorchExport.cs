using System.Text.Json;
using Seq2Seq.Decoding;
using Seq2Seq.IO;
using TorchSharp.PyBridge;

namespace Seq2Seq.Interop;

/// <summary>
/// <c>s2s export</c>: the weights of a trained model as a PyTorch <c>state_dict</c> (<c>model.pt</c>, loadable with
/// <c>torch.load</c>) and as <c>model.safetensors</c>, with <c>config.json</c> (the model section of the run config and
/// the special token ids), <c>src.vocab.json</c> / <c>tgt.vocab.json</c> (id → token) and <c>check.json</c>: sample
/// id sequences with the log-probabilities this toolkit gives them, so that a re-implementation can prove it computes
/// the same function (<c>interop/python/check_export.py</c> does, for the PyTorch module in <c>interop/python/</c>).
/// </summary>
public static class PyTorchExport
{
    /// <summary>The formats <see cref="Write"/> knows.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["pytorch", "safetensors"];

    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Write(Seq2SeqModel model, string directory, IReadOnlyCollection<string> formats, int checkPairs = 16)
    {
        if (model.Network is not Models.EncoderDecoder)
            throw new ArgumentException($"s2s export supports RNN models only (model.type: rnn); {model.RunDir} holds a {model.Config.Model.Type} model");
        foreach (var f in formats)
            if (!Formats.Contains(f)) throw new ArgumentException($"unknown export format '{f}'; valid: {string.Join(", ", Formats)}");
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        string Path(string name) { var p = System.IO.Path.Combine(directory, name); files.Add(p); return p; }

        if (formats.Contains("pytorch"))
        {
            string tmp = System.IO.Path.Combine(directory, ".model.pt.tmp");
            model.Network.save_py(tmp);
            File.Move(tmp, Path("model.pt"), overwrite: true);
        }
        if (formats.Contains("safetensors"))
        {
            string tmp = System.IO.Path.Combine(directory, ".model.safetensors.tmp");
            model.Network.save_safetensors(tmp);
            File.Move(tmp, Path("model.safetensors"), overwrite: true);
        }
        var json = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        AtomicFile.WriteAllText(Path("config.json"), JsonSerializer.Serialize(new
        {
            format = "seq2seq.net/1",
            name = model.Config.Name,
            model = model.Config.Model,
            source_vocab_size = model.SourceVocab.Count,
            target_vocab_size = model.TargetVocab.Count,
            unk = Data.Vocabulary.Unk, pad = Data.Vocabulary.Pad, bos = Data.Vocabulary.Bos, eos = Data.Vocabulary.Eos,
        }, json));
        AtomicFile.WriteAllText(Path("src.vocab.json"), JsonSerializer.Serialize(model.SourceVocab.Tokens));
        AtomicFile.WriteAllText(Path("tgt.vocab.json"), JsonSerializer.Serialize(model.TargetVocab.Tokens));

        // Random but fixed id sequences (no specials inside), scored by teacher forcing: log P(y | x) incl. </s>.
        var rng = new Random(12345);
        int[] Ids(int vocab, int min, int max) =>
            Enumerable.Range(0, rng.Next(min, max + 1)).Select(_ => rng.Next(Data.Vocabulary.Specials.Count, vocab)).ToArray();
        var sources = Enumerable.Range(0, checkPairs).Select(_ => Ids(model.SourceVocab.Count, 1, 12)).ToList();
        var targets = Enumerable.Range(0, checkPairs).Select(_ => Ids(model.TargetVocab.Count, 1, 10)).ToList();
        var scores = SequenceScorer.Score(model.Backend, sources, targets, 4096);
        AtomicFile.WriteAllText(Path("check.json"), JsonSerializer.Serialize(sources.Select((s, i) => new
        {
            source = s, target = targets[i], log_prob = scores[i].Total, per_token = scores[i].PerToken,
        }), json));
        return files;
    }
}
