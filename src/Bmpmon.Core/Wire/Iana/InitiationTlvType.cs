namespace Bmpmon.Core.Wire.Iana;

/// <summary>Initiation message information TLV types (RFC 7854 s4.4, IANA "BMP Initiation Information TLVs").</summary>
public enum InitiationTlvType : ushort
{
    /// <summary>Free-form UTF-8 string.</summary>
    String = 0,

    /// <summary>sysDescr: the router's description (UTF-8).</summary>
    SysDescr = 1,

    /// <summary>sysName: the router's name (UTF-8).</summary>
    SysName = 2,

    /// <summary>VRF/Table Name (RFC 9069 s5.1, UTF-8).</summary>
    VrfTableName = 3,

    /// <summary>Admin Label (RFC 9736, UTF-8).</summary>
    AdminLabel = 4,
}
