namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// Per-peer header flags (RFC 7854 s4.2, RFC 8671 s4, RFC 9069 s4.2). The meaning of bit 0x80
/// depends on the peer type: V (IPv6 peer address) for peer types 0-2, F (filtered Loc-RIB) for
/// the Loc-RIB instance peer type 3.
/// </summary>
[Flags]
#pragma warning disable CA1069 // V and F share bit 0x80 by design: the peer type decides which one it is.
public enum PeerFlags : byte
{
    /// <summary>No flag set.</summary>
    None = 0,

    /// <summary>V: the peer address is IPv6 (peer types 0-2).</summary>
    Ipv6 = 0x80,

    /// <summary>L: the routes are post-policy (peer types 0-2).</summary>
    PostPolicy = 0x40,

    /// <summary>A: the AS_PATH uses the legacy 2-byte encoding (peer types 0-2).</summary>
    LegacyAsPath = 0x20,

    /// <summary>O: the routes are from the Adj-RIB-Out (RFC 8671; peer types 0-2).</summary>
    AdjRibOut = 0x10,

    /// <summary>F: the Loc-RIB is filtered (RFC 9069 s4.2; peer type 3 only).</summary>
    Filtered = 0x80,
}
#pragma warning restore CA1069
