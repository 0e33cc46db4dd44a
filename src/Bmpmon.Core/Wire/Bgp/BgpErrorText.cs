namespace Bmpmon.Core.Wire.Bgp;

/// <summary>
/// Static names of NOTIFICATION error codes and subcodes (RFC 4271 s4.5 and s6, RFC 4486 Cease
/// subcodes, RFC 5492, RFC 6608, RFC 7313, RFC 8538, RFC 9234, RFC 9384, RFC 9687; IANA "BGP Error
/// (Notification) Codes" and "BGP Error Subcodes"). Strings only, no formatting: safe at line rate.
/// </summary>
public static class BgpErrorText
{
    /// <summary>The name of an error code.</summary>
    public static string CodeName(byte code) => code switch
    {
        1 => "Message Header Error",
        2 => "OPEN Message Error",
        3 => "UPDATE Message Error",
        4 => "Hold Timer Expired",
        5 => "Finite State Machine Error",
        6 => "Cease",
        7 => "ROUTE-REFRESH Message Error",
        8 => "Send Hold Timer Expired",
        _ => "Unknown Error",
    };

    /// <summary>"Code: Subcode", for example "Cease: Administrative Reset".</summary>
    public static string Of(byte code, byte subcode) => (code, subcode) switch
    {
        (1, 1) => "Message Header Error: Connection Not Synchronized",
        (1, 2) => "Message Header Error: Bad Message Length",
        (1, 3) => "Message Header Error: Bad Message Type",
        (1, _) => "Message Header Error",
        (2, 1) => "OPEN Message Error: Unsupported Version Number",
        (2, 2) => "OPEN Message Error: Bad Peer AS",
        (2, 3) => "OPEN Message Error: Bad BGP Identifier",
        (2, 4) => "OPEN Message Error: Unsupported Optional Parameter",
        (2, 5) => "OPEN Message Error: Authentication Failure",
        (2, 6) => "OPEN Message Error: Unacceptable Hold Time",
        (2, 7) => "OPEN Message Error: Unsupported Capability",
        (2, 11) => "OPEN Message Error: Role Mismatch",
        (2, _) => "OPEN Message Error",
        (3, 1) => "UPDATE Message Error: Malformed Attribute List",
        (3, 2) => "UPDATE Message Error: Unrecognized Well-known Attribute",
        (3, 3) => "UPDATE Message Error: Missing Well-known Attribute",
        (3, 4) => "UPDATE Message Error: Attribute Flags Error",
        (3, 5) => "UPDATE Message Error: Attribute Length Error",
        (3, 6) => "UPDATE Message Error: Invalid ORIGIN Attribute",
        (3, 7) => "UPDATE Message Error: AS Routing Loop",
        (3, 8) => "UPDATE Message Error: Invalid NEXT_HOP Attribute",
        (3, 9) => "UPDATE Message Error: Optional Attribute Error",
        (3, 10) => "UPDATE Message Error: Invalid Network Field",
        (3, 11) => "UPDATE Message Error: Malformed AS_PATH",
        (3, _) => "UPDATE Message Error",
        (4, _) => "Hold Timer Expired",
        (5, 1) => "Finite State Machine Error: Receive Unexpected Message in OpenSent State",
        (5, 2) => "Finite State Machine Error: Receive Unexpected Message in OpenConfirm State",
        (5, 3) => "Finite State Machine Error: Receive Unexpected Message in Established State",
        (5, _) => "Finite State Machine Error",
        (6, 1) => "Cease: Maximum Number of Prefixes Reached",
        (6, 2) => "Cease: Administrative Shutdown",
        (6, 3) => "Cease: Peer De-configured",
        (6, 4) => "Cease: Administrative Reset",
        (6, 5) => "Cease: Connection Rejected",
        (6, 6) => "Cease: Other Configuration Change",
        (6, 7) => "Cease: Connection Collision Resolution",
        (6, 8) => "Cease: Out of Resources",
        (6, 9) => "Cease: Hard Reset",
        (6, 10) => "Cease: BFD Down",
        (6, _) => "Cease",
        (7, 1) => "ROUTE-REFRESH Message Error: Invalid Message Length",
        (7, _) => "ROUTE-REFRESH Message Error",
        (8, _) => "Send Hold Timer Expired",
        _ => "Unknown Error",
    };
}
