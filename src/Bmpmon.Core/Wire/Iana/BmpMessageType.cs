namespace Bmpmon.Core.Wire.Iana;

/// <summary>BMP message types (RFC 7854 s4.1, IANA "BMP Message Types").</summary>
public enum BmpMessageType : byte
{
    /// <summary>Route Monitoring (RFC 7854 s4.6).</summary>
    RouteMonitoring = 0,

    /// <summary>Statistics Report (RFC 7854 s4.8).</summary>
    StatisticsReport = 1,

    /// <summary>Peer Down Notification (RFC 7854 s4.9).</summary>
    PeerDownNotification = 2,

    /// <summary>Peer Up Notification (RFC 7854 s4.10).</summary>
    PeerUpNotification = 3,

    /// <summary>Initiation Message (RFC 7854 s4.3).</summary>
    Initiation = 4,

    /// <summary>Termination Message (RFC 7854 s4.5).</summary>
    Termination = 5,

    /// <summary>Route Mirroring Message (RFC 7854 s4.7).</summary>
    RouteMirroring = 6,
}
