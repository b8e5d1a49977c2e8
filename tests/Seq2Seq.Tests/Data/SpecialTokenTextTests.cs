using Seq2Seq.Data;
using Seq2Seq.Configuration;
using Seq2Seq.Decoding;
using Seq2Seq.Models;
using Seq2Seq.Tests.Models;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Data;

/// <summary>Text that spells a special token ("&lt;pad&gt;", "&lt;s&gt;", "&lt;/s&gt;", "&lt;unk&gt;") is an ordinary
/// unknown word for every tokeniser, in training data and at translation time, and no input can mask the attention.</summary>
public class SpecialTokenTextTests
{
    const string Specials = "<pad> <s> </s> <unk>";
    static readonly string[] Corpus = ["a <pad> b", "<s> c </s>", "<unk> a b c", "<pad> <pad> a", "x y z <s>"];

    static readonly int[] SpecialIds = [Vocabulary.Pad, Vocabulary.Bos, Vocabulary.Eos];

    public static TheoryData<string> Kinds() => new(Tokenizers.PlainKinds.Append("bpe").Append("protected"));

    static ITokenizer Tokenizer(string kind) => kind switch
    {
        // BPE over the space tokeniser, with merges learnt from a corpus full of "<pad>": the unit "<pad>" itself exists.
        "bpe" => new BpeTokenizer(new SpaceTokenizer(false),
            BpeLearner.Learn(BpeLearner.CountWords(Enumerable.Repeat(Corpus, 5).SelectMany(c => c).Select(l => new SpaceTokenizer(false).Tokenize(l))), 200)),
        // data.protected_pattern that keeps anything in angle brackets whole.
        "protected" => ProtectedTokenizer.Wrap(new WordTokenizer(false), "<[^>]*>"),
        _ => Tokenizers.Create(kind, lowercase: false),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryTokenizerKindEncodesSpecialStringsAsOrdinaryText(string kind)
    {
        var tokenizer = Tokenizer(kind);
        var vocab = Vocabulary.Build(Corpus.Select(tokenizer.Tokenize), 1, 0);
        var tokens = tokenizer.Tokenize(Specials);
        Assert.NotEmpty(tokens);
        var ids = vocab.Encode(tokens);
        Assert.Equal(tokens.Count, ids.Length);
        Assert.DoesNotContain(ids, id => SpecialIds.Contains(id));
        foreach (var special in Vocabulary.Specials) Assert.Equal(Vocabulary.Unk, vocab[special]);
    }

    [SpmTrainFact]
    public void SentencePieceEncodesSpecialStringsAsOrdinaryText()
    {
        using var dir = new TempDir();
        string model = SpmTrain.Train(Enumerable.Repeat(Corpus, 20).SelectMany(c => c), Path.Combine(dir.Path, "m"), 30);
        var tokenizer = new SentencePieceTokenizer(model, lowercase: false);
        var vocab = Vocabulary.Build(Corpus.Select(tokenizer.Tokenize), 1, 0);
        Assert.DoesNotContain(vocab.Encode(tokenizer.Tokenize(Specials)), id => SpecialIds.Contains(id));
    }

    [Fact]
    public void ALiteralPadInATrainingTargetIsATokenOfTheLossNotPadding()
    {
        var tokenizer = new SpaceTokenizer(false);
        SentencePair[] pairs = [new("a b", "<pad> x </s>", 1), new("<pad>", "y", 2)];
        var tokenized = EncodedCorpus.TokenizeAll(pairs, tokenizer, tokenizer);
        var vocab = Vocabulary.Build(tokenized.SelectMany(p => new[] { p.Source, p.Target }), 1, 0);
        var corpus = EncodedCorpus.Create(tokenized, vocab, vocab, maxLength: 0);
        Assert.Equal([Vocabulary.Unk, vocab["x"], Vocabulary.Unk], corpus.Targets[0]);
        Assert.Equal([Vocabulary.Unk], corpus.Sources[1]);

        // The batch counts 3 tokens + </s> for the first target, and the loss sees exactly as many positions.
        using var scope = NewDisposeScope();
        var batch = Batch.Create(corpus.Sources, corpus.Targets, [0], null);
        Assert.Equal(4, batch.TargetTokens);
        using var model = ModelTestKit.Model(vocab.Count, vocab.Count);
        var logits = model.TokenLogits(batch.Source, batch.SourceLengths, batch.TargetIn!, batch.TargetOut!);
        Assert.Equal(batch.TargetTokens, (int)logits.shape[0]);
    }

    public static TheoryData<string> Networks() => new() { "rnn", "cnn", "transformer" };

    [Theory]
    [MemberData(nameof(Networks))]
    public void AttentionMasksComeFromLengthsSoAnAllPadIdSourceStillDecodesFinitely(string network)
    {
        // Ids equal to <pad> inside the real length (reachable before text stopped encoding as specials) must not mask
        // every position: the softmax over no position is NaN.
        using var model = network switch
        {
            "transformer" => ModelTestKit.Transformer(12, 12),
            "cnn" => CnnModel(),
            _ => ModelTestKit.Model(12, 12),
        };
        var sources = new List<int[]> { new[] { Vocabulary.Pad }, new[] { Vocabulary.Pad, Vocabulary.Pad, 5 } };
        foreach (var options in new[] { new SearchOptions(BeamSize: 1), new SearchOptions(BeamSize: 3, NBest: 2, ReturnAttention: true) })
            foreach (var hyps in CorpusDecoder.Decode(new TorchDecodingBackend(model), sources, options, 8))
                foreach (var h in hyps)
                {
                    Assert.True(double.IsFinite(h.LogProb) && double.IsFinite(h.Score), $"{network}: log P {h.LogProb}");
                    if (h.Attention is not null) Assert.All(h.Attention.SelectMany(r => r), w => Assert.True(float.IsFinite(w)));
                }
    }

    static Seq2SeqNetwork CnnModel()
    {
        manual_seed(5);
        var model = ModelBuilder.Build(new ModelConfig
        {
            EmbeddingSize = 16, Dropout = 0.0,
            Encoder = new EncoderConfig { Type = "cnn", HiddenSize = 16, Layers = 2, KernelWidth = 3 },
            Decoder = new DecoderConfig { HiddenSize = 16, Layers = 1 },
        }, 12, 12);
        model.eval();
        return model;
    }
}
