namespace Seq2Seq.Evaluation;

/// <summary>The sacreBLEU release whose behaviour the metrics here reproduce; it is the <c>version:</c> field of every signature.</summary>
public static class SacreBleuVersion
{
    /// <summary>The matched sacreBLEU version.</summary>
    public const string Matched = "2.6.0";
}
