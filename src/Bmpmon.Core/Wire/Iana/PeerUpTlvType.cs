namespace Bmpmon.Core.Wire.Iana;

/// <summary>Peer Up information TLV types (RFC 7854 s4.10, RFC 9069 s5.2, IANA "BMP Peer Up Message TLVs").</summary>
public enum PeerUpTlvType : ushort
{
    /// <summary>Free-form UTF-8 string.</summary>
    String = 0,

    /// <summary>sysDescr (UTF-8).</summary>
    SysDescr = 1,

    /// <summary>sysName (UTF-8).</summary>
    SysName = 2,

    /// <summary>VRF/Table Name (RFC 9069 s5.2, UTF-8, at most 255 bytes).</summary>
    VrfTableName = 3,

    /// <summary>Admin Label (RFC 9736, UTF-8).</summary>
    AdminLabel = 4,
}
