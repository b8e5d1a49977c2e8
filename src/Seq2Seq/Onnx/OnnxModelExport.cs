using Seq2Seq.Configuration;
using Seq2Seq.IO;
using Seq2Seq.Runs;

namespace Seq2Seq.Onnx;

/// <summary>
/// <c>s2s export --format onnx</c>: a self-contained model folder that needs no libtorch — <c>encoder.onnx</c>,
/// <c>decoder_step.onnx</c>, <c>manifest.json</c> (<see cref="OnnxManifest"/>), the run's <c>config.yaml</c>, its
/// vocabularies and tokeniser files under the run directory's names (so the run's tokenisers load from the folder).
/// </summary>
public static class OnnxModelExport
{
    /// <param name="int8">Dynamic int8 quantisation of the linear layers.</param>
    /// <returns>The files written.</returns>
    /// <exception cref="OnnxExportException">A part of the model has no ONNX export.</exception>
    public static IReadOnlyList<string> Write(Seq2SeqModel model, string directory, bool int8 = false)
    {
        var graphs = OnnxExport.Build(model.Config.Model, model.Network, model.TargetVocab.Count, int8);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        string Out(string name) { var p = Path.Combine(directory, name); files.Add(p); return p; }

        var manifest = new OnnxManifest
        {
            Producer = $"Seq2Seq.NET {OnnxExport.ProducerVersion}",
            ModelType = model.Config.Model.Type,
            Architecture = Describe(model.Config.Model),
            Graphs = OnnxGraphContract.Of(graphs.Signature),
            SourceVocabSize = model.SourceVocab.Count,
            TargetVocabSize = model.TargetVocab.Count,
            Parameters = model.Network.ParameterCount(),
            Decoding = new OnnxDecodingDefaults
            {
                Search = model.Config.Decoding, MaxSourceLength = model.Network.MaxSourceLength, MaxTargetLength = model.Network.MaxTargetLength,
            },
            Quantization = int8 ? OnnxQuantization.Int8 : new OnnxQuantization(),
            Checkpoint = Path.GetFileName(model.Checkpoint),
            RunName = model.Config.Name,
        };
        AtomicFile.Write(Out(manifest.EncoderFile), s => s.Write(graphs.Encoder));
        AtomicFile.Write(Out(manifest.DecoderStepFile), s => s.Write(graphs.DecoderStep));

        var run = new RunDirectory(model.RunDir);
        var target = new RunDirectory(directory);
        var copied = new List<string>();
        foreach (var (from, to) in ModelFiles(run, target))
        {
            if (!File.Exists(from)) continue;
            AtomicFile.Write(Out(Path.GetFileName(to)), s => { using var f = File.OpenRead(from); f.CopyTo(s); });
            copied.Add(Path.GetFileName(to));
        }
        (manifest with { Files = copied }).Save(Out("manifest.json"));
        return files;
    }

    // The run's files a translation needs: config, vocabularies and whatever tokeniser files the run keeps.
    static IEnumerable<(string From, string To)> ModelFiles(RunDirectory run, RunDirectory target)
    {
        yield return (run.Config, target.Config);
        yield return (run.SourceVocab, target.SourceVocab);
        yield return (run.TargetVocab, target.TargetVocab);
        yield return (run.JiebaUserDict, target.JiebaUserDict);
        foreach (var side in new[] { Data.TextSide.Source, Data.TextSide.Target })
        {
            yield return (run.SentencePieceModel(side), target.SentencePieceModel(side));
            yield return (run.BpeMerges(side, joint: false), target.BpeMerges(side, joint: false));
        }
        yield return (run.BpeMerges(Data.TextSide.Source, joint: true), target.BpeMerges(Data.TextSide.Source, joint: true));
    }

    static string Describe(ModelConfig m) => m.Type == ModelTypes.Transformer
        ? $"transformer encoder_layers={m.Transformer.EncoderLayers} decoder_layers={m.Transformer.DecoderLayers} model_size={m.Transformer.ModelSize} heads={m.Transformer.Heads} positions={m.Transformer.Positions} share_embeddings={m.Transformer.ShareEmbeddings} tie_target_embeddings={m.TieTargetEmbeddings}"
        : $"encoder={m.Encoder.Type} layers={m.Encoder.Layers} bidirectional={m.Encoder.Bidirectional} decoder={m.Decoder.Type} layers={m.Decoder.Layers} attention={m.Decoder.Attention}/{m.Decoder.AttentionType} input_feeding={m.Decoder.InputFeeding} bridge={m.Decoder.Bridge} tie_target_embeddings={m.TieTargetEmbeddings}";
}
