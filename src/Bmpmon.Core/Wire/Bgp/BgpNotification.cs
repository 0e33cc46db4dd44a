using System.Text;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>
/// A BGP NOTIFICATION message (RFC 4271 s4.5): error code (1), error subcode (1), data.
/// For Cease / Administrative Shutdown or Reset, the data may hold an RFC 9003 shutdown
/// communication: a length byte and up to 255 bytes of UTF-8.
/// </summary>
public readonly ref struct BgpNotification
{
    /// <summary>The Cease error code (RFC 4271 s6.7).</summary>
    public const byte Cease = 6;

    private const int BodyOffset = BgpMessageHeader.Size;

    private BgpNotification(byte code, byte subcode, ReadOnlySpan<byte> data, int messageLength)
    {
        ErrorCode = code;
        ErrorSubcode = subcode;
        Data = data;
        MessageLength = messageLength;
    }

    /// <summary>The error code (1 Message Header, 2 OPEN, 3 UPDATE, 4 Hold Timer Expired, 5 FSM, 6 Cease, 7 ROUTE-REFRESH, 8 Send Hold Timer Expired).</summary>
    public byte ErrorCode { get; }

    /// <summary>The error subcode (0 when unspecific).</summary>
    public byte ErrorSubcode { get; }

    /// <summary>The data field.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Length of the whole NOTIFICATION message, header included.</summary>
    public int MessageLength { get; }

    /// <summary>"Code: Subcode" in IANA's words, such as "Cease: Administrative Reset" (a static string).</summary>
    public string ErrorText => BgpErrorText.Of(ErrorCode, ErrorSubcode);

    /// <summary>
    /// The RFC 9003 shutdown communication of a Cease / Administrative Shutdown (2) or Administrative
    /// Reset (4): the UTF-8 bytes after the length byte, or empty when absent or malformed.
    /// </summary>
    public ReadOnlySpan<byte> ShutdownCommunication
    {
        get
        {
            if (ErrorCode != Cease || ErrorSubcode is not (2 or 4) || Data.IsEmpty || Data[0] == 0 || Data[0] > Data.Length - 1)
            {
                return default;
            }

            return Data.Slice(1, Data[0]);
        }
    }

    /// <summary>The shutdown communication as text (allocates), or null when absent.</summary>
    public string? ShutdownCommunicationText => ShutdownCommunication.IsEmpty ? null : Encoding.UTF8.GetString(ShutdownCommunication);

    /// <summary>Parses a whole NOTIFICATION message, header included.</summary>
    /// <param name="bgpMessage">Bytes starting at the marker; may extend past the message.</param>
    /// <param name="baseOffset">Absolute offset of the marker within the BMP message.</param>
    /// <param name="notification">The NOTIFICATION when true.</param>
    /// <param name="error">A header error, <see cref="DecodeErrorCode.UnexpectedType"/> when not a NOTIFICATION, or <see cref="DecodeErrorCode.BadLength"/> when shorter than 21 bytes.</param>
    public static bool TryParse(ReadOnlySpan<byte> bgpMessage, int baseOffset, out BgpNotification notification, out DecodeError error)
    {
        notification = default;
        if (!BgpMessageHeader.TryRead(bgpMessage, baseOffset, out var header, out error))
        {
            return false;
        }

        if (header.Type != BgpMessageType.Notification)
        {
            error = new DecodeError(DecodeErrorCode.UnexpectedType, baseOffset + BodyOffset - 1, "BGP NOTIFICATION type");
            return false;
        }

        if (header.Length < BodyOffset + 2)
        {
            error = new DecodeError(DecodeErrorCode.BadLength, baseOffset + BgpMessageHeader.MarkerSize, "BGP NOTIFICATION length");
            return false;
        }

        notification = new BgpNotification(bgpMessage[BodyOffset], bgpMessage[BodyOffset + 1], bgpMessage[(BodyOffset + 2)..header.Length], header.Length);
        return true;
    }
}
