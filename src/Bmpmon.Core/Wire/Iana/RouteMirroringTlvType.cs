namespace Bmpmon.Core.Wire.Iana;

/// <summary>Route Mirroring TLV types (RFC 7854 s4.7, IANA "BMP Route Mirroring TLVs").</summary>
public enum RouteMirroringTlvType : ushort
{
    /// <summary>A whole BGP message, header included.</summary>
    BgpMessage = 0,

    /// <summary>A 2-byte <see cref="RouteMirroringInformation"/> code.</summary>
    Information = 1,
}
