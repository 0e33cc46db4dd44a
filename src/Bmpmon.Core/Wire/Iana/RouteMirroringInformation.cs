namespace Bmpmon.Core.Wire.Iana;

/// <summary>Route Mirroring information codes (RFC 7854 s4.7, IANA "BMP Route Mirroring Information Codes").</summary>
public enum RouteMirroringInformation : ushort
{
    /// <summary>The mirrored BGP PDU was errored (for example treat-as-withdraw).</summary>
    ErroredPdu = 0,

    /// <summary>One or more messages were lost and could not be mirrored.</summary>
    MessagesLost = 1,
}
