namespace Bmpmon.Core.Wire.Iana;

/// <summary>BGP message types (RFC 4271 s4.1, RFC 2918, IANA "BGP Message Types").</summary>
public enum BgpMessageType : byte
{
    /// <summary>OPEN (RFC 4271 s4.2).</summary>
    Open = 1,

    /// <summary>UPDATE (RFC 4271 s4.3).</summary>
    Update = 2,

    /// <summary>NOTIFICATION (RFC 4271 s4.5).</summary>
    Notification = 3,

    /// <summary>KEEPALIVE (RFC 4271 s4.4).</summary>
    Keepalive = 4,

    /// <summary>ROUTE-REFRESH (RFC 2918).</summary>
    RouteRefresh = 5,
}
