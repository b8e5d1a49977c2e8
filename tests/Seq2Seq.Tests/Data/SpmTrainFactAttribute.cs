namespace Seq2Seq.Tests.Data;

/// <summary>A fact that needs SentencePiece's <c>spm_train</c> (Debian package <c>sentencepiece</c>); skipped without it.</summary>
public sealed class SpmTrainFactAttribute : FactAttribute
{
    public SpmTrainFactAttribute()
    {
        if (SpmTrain.Path is null) Skip = "spm_train not found on PATH (apt-get install -y sentencepiece)";
    }
}
