using Seq2Seq.Configuration;
using Seq2Seq.Decoding;

namespace Seq2Seq.Tests.Decoding;

public class SearchOptionsTests
{
    [Fact]
    public void TheDecodingSectionBecomesSearchSettingsInOnePlace()
    {
        var d = new DecodingConfig { BeamSize = 7, LengthPenalty = 0.6, MaxLengthRatio = 2.0, MaxLengthOffset = 3 };
        Assert.Equal(new SearchOptions(7, 1, 0.6, 2.0, 3, false), SearchOptions.From(d));
        Assert.Equal(new SearchOptions(1, 1, 0.6, 2.0, 3, false), SearchOptions.From(d, beam: 1));
        Assert.Equal(new SearchOptions(4, 2, 0.6, 2.0, 3, true), SearchOptions.From(d, 4, 2, attention: true));
    }
}
