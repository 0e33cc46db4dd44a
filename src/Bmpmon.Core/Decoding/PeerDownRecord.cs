using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Core.Decoding;

/// <summary>What a peer's last Peer Down said (RFC 7854 s4.9).</summary>
/// <param name="At">The per-peer header's timestamp, UTC.</param>
/// <param name="Reason">The reason code.</param>
/// <param name="NotificationCode">The BGP NOTIFICATION error code for reasons 1 and 3.</param>
/// <param name="NotificationSubcode">The BGP NOTIFICATION error subcode for reasons 1 and 3.</param>
public sealed record PeerDownRecord(DateTime At, PeerDownReason Reason, byte? NotificationCode, byte? NotificationSubcode);
