namespace Bmpmon.Core.Wire.Bmp;

/// <summary>Which RIB a Route Monitoring message reflects, from the peer type and the L and O flags.</summary>
public enum BmpRib : byte
{
    /// <summary>Adj-RIB-In before inbound policy (RFC 7854).</summary>
    PrePolicy,

    /// <summary>Adj-RIB-In after inbound policy (L flag, RFC 7854).</summary>
    PostPolicy,

    /// <summary>Loc-RIB (peer type 3, RFC 9069).</summary>
    LocRib,

    /// <summary>Adj-RIB-Out before outbound policy (O flag, RFC 8671).</summary>
    AdjRibOutPre,

    /// <summary>Adj-RIB-Out after outbound policy (O and L flags, RFC 8671).</summary>
    AdjRibOutPost,
}

/// <summary>Names of <see cref="BmpRib"/> values as the summary, JSON and database write them.</summary>
public static class BmpRibExtensions
{
    /// <summary>"pre-policy", "post-policy", "loc-rib", "adj-rib-out-pre" or "adj-rib-out-post".</summary>
    public static string Name(this BmpRib rib) => rib switch
    {
        BmpRib.PrePolicy => "pre-policy",
        BmpRib.PostPolicy => "post-policy",
        BmpRib.LocRib => "loc-rib",
        BmpRib.AdjRibOutPre => "adj-rib-out-pre",
        BmpRib.AdjRibOutPost => "adj-rib-out-post",
        _ => "unknown",
    };
}
