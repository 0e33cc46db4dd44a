using System.Buffers.Binary;
using Bmpmon.Core.Wire.Bgp;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>
/// A Peer Down Notification (RFC 7854 s4.9, RFC 9069 s5.3): per-peer header, Reason (1), Data.
/// Data is the NOTIFICATION PDU (reasons 1, 3, header included), a 2-byte FSM event code (reason 2),
/// TLVs (reason 6, RFC 9069: VRF/Table Name), or nothing (reasons 4, 5). BMP v4
/// (draft-ietf-grow-bmp-tlv) appends index-less TLVs after that: <see cref="GetTlvs"/> reads them
/// (and, for reason 6, the reason's own TLVs).
/// <para>
/// The peer is down whatever the data says, so a malformed reason data (FRR's reason 2 without
/// FSM code, a truncated NOTIFICATION) does not fail the parse: it is reported in <see cref="DataError"/>.
/// </para>
/// </summary>
public readonly ref struct PeerDownNotification
{
    private const int ReasonOffset = BmpCommonHeader.Size + PerPeerHeader.Size;
    /// <summary>Absolute offset of the reason data within the BMP message.</summary>
    public const int DataOffset = ReasonOffset + 1;

    private PeerDownNotification(PerPeerHeader peer, PeerDownReason reason, ReadOnlySpan<byte> data, BgpNotification notification, bool hasNotification, ushort fsmEventCode, bool hasFsmEventCode, ReadOnlySpan<byte> tlvs, int tlvsOffset, DecodeError dataError)
    {
        Peer = peer;
        Reason = reason;
        Data = data;
        Notification = notification;
        HasNotification = hasNotification;
        FsmEventCode = fsmEventCode;
        HasFsmEventCode = hasFsmEventCode;
        Tlvs = tlvs;
        TlvsOffset = tlvsOffset;
        DataError = dataError;
    }

    /// <summary>The per-peer header.</summary>
    public PerPeerHeader Peer { get; }

    /// <summary>The reason code; unknown values are kept.</summary>
    public PeerDownReason Reason { get; }

    /// <summary>The reason's data: the NOTIFICATION message, the FSM event code bytes, or the reason 6 TLVs.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>True when a well-formed NOTIFICATION came with reason 1 or 3.</summary>
    public bool HasNotification { get; }

    /// <summary>The NOTIFICATION of reasons 1 and 3 (when <see cref="HasNotification"/>).</summary>
    public BgpNotification Notification { get; }

    /// <summary>The FSM event code of reason 2 (RFC 4271 s8.1; 0 = no relevant event).</summary>
    public ushort FsmEventCode { get; }

    /// <summary>True when reason 2 carried its 2-byte FSM event code.</summary>
    public bool HasFsmEventCode { get; }

    /// <summary>TLV bytes: the reason 6 data, or what follows the reason data (v4 TLVs).</summary>
    public ReadOnlySpan<byte> Tlvs { get; }

    /// <summary>Absolute offset of <see cref="Tlvs"/>.</summary>
    public int TlvsOffset { get; }

    /// <summary>Why the reason data could not be read (None when it could).</summary>
    public DecodeError DataError { get; }

    /// <summary>A reader over <see cref="Tlvs"/> (index-less TLVs).</summary>
    public BmpTlvReader GetTlvs() => new(Tlvs, TlvsOffset);

    /// <summary>
    /// The reason code in RFC 7854 s4.9's words (RFC 9069 s5.3 for reason 6), for logs and events;
    /// a static string per code, so nothing is allocated.
    /// </summary>
    public static string ReasonText(PeerDownReason reason) => reason switch
    {
        PeerDownReason.LocalNotification => "local system closed the session with a NOTIFICATION",
        PeerDownReason.LocalNoNotification => "local system closed the session without a NOTIFICATION",
        PeerDownReason.RemoteNotification => "remote system closed the session with a NOTIFICATION",
        PeerDownReason.RemoteNoNotification => "remote system closed the session without a NOTIFICATION",
        PeerDownReason.PeerDeconfigured => "peer de-configured",
        PeerDownReason.LocalSystemClosedTlvDataFollows => "local system closed the session, TLV data follows",
        _ => "unknown reason",
    };

    /// <summary>Parses a whole Peer Down message. Fails only when the per-peer header or the reason is missing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out PeerDownNotification notification, out DecodeError error)
    {
        notification = default;
        if (!BmpMessageBody.TryOpenPeer(message, out _, out var peer, out var body, out error))
        {
            return false;
        }

        if (!body.TryReadByte(out var reasonByte))
        {
            error = body.Error(DecodeErrorCode.Truncated, "peer down reason");
            return false;
        }

        var reason = (PeerDownReason)reasonByte;
        var rest = body.RemainingSpan;
        ReadOnlySpan<byte> data = default;
        var tlvs = rest;
        var tlvsOffset = DataOffset;
        BgpNotification bgpNotification = default;
        var hasNotification = false;
        ushort fsm = 0;
        var hasFsm = false;
        DecodeError dataError = default;
        switch (reason)
        {
            case PeerDownReason.LocalNotification:
            case PeerDownReason.RemoteNotification:
                if (BgpNotification.TryParse(rest, DataOffset, out bgpNotification, out dataError))
                {
                    hasNotification = true;
                    data = rest[..bgpNotification.MessageLength];
                    tlvs = rest[bgpNotification.MessageLength..];
                    tlvsOffset = DataOffset + bgpNotification.MessageLength;
                }
                else
                {
                    data = rest;
                    tlvs = default;
                }

                break;
            case PeerDownReason.LocalNoNotification:
                if (rest.Length >= 2)
                {
                    fsm = BinaryPrimitives.ReadUInt16BigEndian(rest);
                    hasFsm = true;
                    data = rest[..2];
                    tlvs = rest[2..];
                    tlvsOffset = DataOffset + 2;
                }
                else
                {
                    // FRR 8.x sends reason 2 with no FSM event for peers that never came up.
                    dataError = new DecodeError(DecodeErrorCode.Truncated, DataOffset, "peer down FSM event code");
                    data = rest;
                    tlvs = default;
                }

                break;
            case PeerDownReason.LocalSystemClosedTlvDataFollows:
                data = rest;
                break;
            default:
                break;
        }

        notification = new PeerDownNotification(peer, reason, data, bgpNotification, hasNotification, fsm, hasFsm, tlvs, tlvsOffset, dataError);
        return true;
    }
}
