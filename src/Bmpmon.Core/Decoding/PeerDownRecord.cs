using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Core.Decoding;

/// <summary>What a peer's last Peer Down said (RFC 7854 s4.9), kept so that the peer's state can be reported after it.</summary>
/// <param name="At">The per-peer header's timestamp, UTC.</param>
/// <param name="Reason">The reason code.</param>
/// <param name="NotificationCode">The BGP NOTIFICATION error code for reasons 1 and 3.</param>
/// <param name="NotificationSubcode">The BGP NOTIFICATION error subcode for reasons 1 and 3.</param>
/// <param name="NotificationText">The NOTIFICATION's code and subcode in IANA's words ("Cease: Administrative Shutdown").</param>
/// <param name="ShutdownCommunication">The RFC 9003 shutdown communication the NOTIFICATION carried, if any.</param>
/// <param name="FsmEventCode">The FSM event code of reason 2 (RFC 4271 s8.1), when the router sent it.</param>
/// <param name="UpSince">When the session that went down had come up (the Peer Up's timestamp), if a Peer Up was seen.</param>
public sealed record PeerDownRecord(
    DateTime At,
    PeerDownReason Reason,
    byte? NotificationCode,
    byte? NotificationSubcode,
    string? NotificationText = null,
    string? ShutdownCommunication = null,
    ushort? FsmEventCode = null,
    DateTime? UpSince = null)
{
    /// <summary>The reason in RFC 7854's words ("remote system closed the session with a NOTIFICATION").</summary>
    public string ReasonText => PeerDownNotification.ReasonText(Reason);
}
