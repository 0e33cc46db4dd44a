namespace Bmpmon.Core.Decoding;

/// <summary>Announced and withdrawn NLRI of one family, as counted in summaries and route statistics.</summary>
public sealed class NlriCount
{
    /// <summary>NLRI announced.</summary>
    public long Announced { get; internal set; }

    /// <summary>NLRI withdrawn.</summary>
    public long Withdrawn { get; internal set; }
}
