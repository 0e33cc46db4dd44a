namespace Bmpmon.Core.Wire.Iana;

/// <summary>
/// BMP version 4 Route Monitoring TLV types as sent on the wire by the exporters in the fixtures
/// (draft-ietf-grow-bmp-tlv-13 with draft-ietf-grow-bmp-path-marking-tlv, as Wireshark decodes
/// them). Not yet registered with IANA: later draft revisions renumber them, which is why the
/// decoder also finds the BGP PDU by its marker.
/// </summary>
public enum RouteMonitoringTlvType : ushort
{
    /// <summary>Stateless Parsing: a BGP capability that applies to this message's PDU.</summary>
    StatelessParsing = 1,

    /// <summary>Group: the index field has the G bit (0x8000) set; the value lists 2-byte indexes.</summary>
    Group = 2,

    /// <summary>VRF/Table Name (UTF-8).</summary>
    VrfTableName = 3,

    /// <summary>BGP Message: the whole BGP UPDATE PDU, header included.</summary>
    BgpMessage = 4,

    /// <summary>Path Status (draft-ietf-grow-bmp-path-marking-tlv): 4-byte status bits, optional 2-byte reason.</summary>
    PathStatus = 5,
}
