namespace Bmpmon.Core.Wire.Iana;

/// <summary>Why a monitored peer went down (RFC 7854 s4.9, RFC 9069 s5.3, IANA "BMP Peer Down Reason Codes").</summary>
/// <remarks>
/// RFC 9069 s8.4 adds only code 6; 7 and above are unassigned and kept as their number (the data
/// after them is kept raw), so "Peer De-configured" stays code 5 from RFC 7854.
/// </remarks>
public enum PeerDownReason : byte
{
    /// <summary>Reserved; never valid on the wire.</summary>
    Reserved = 0,

    /// <summary>The local system closed the session; the NOTIFICATION it sent follows.</summary>
    LocalNotification = 1,

    /// <summary>The local system closed the session without a NOTIFICATION; a 2-byte FSM event code follows.</summary>
    LocalNoNotification = 2,

    /// <summary>The remote system closed the session with the NOTIFICATION that follows.</summary>
    RemoteNotification = 3,

    /// <summary>The remote system closed the session without a NOTIFICATION (TCP closed); no data.</summary>
    RemoteNoNotification = 4,

    /// <summary>The peer was de-configured: information for it will no longer be sent; no data.</summary>
    PeerDeconfigured = 5,

    /// <summary>The local system closed the session; TLVs follow (RFC 9069 s5.3: Loc-RIB instance, VRF/Table Name TLV).</summary>
    LocalSystemClosedTlvDataFollows = 6,
}
