namespace Bmpmond.Replay;

/// <summary>What <c>bmpmond replay</c> was asked to do.</summary>
internal sealed class ReplayOptions
{
    /// <summary>The default time a connection waits, after its FIN, for the collector to close.</summary>
    public static readonly TimeSpan DefaultCloseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default time allowed for one TCP connect.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The input files: raw BMP streams or pcap/pcapng captures.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The collector.</summary>
    public required ReplayTarget Target { get; init; }

    /// <summary>
    /// At most this many BMP messages per second over all connections; null for as fast as possible.
    /// Split evenly: each connection sends at Rate / connections, so while every connection is
    /// sending the total is Rate, and once the shorter streams are done it is less (never more).
    /// </summary>
    public double? Rate { get; init; }

    /// <summary>Copies of the whole set of streams, each copy on its own connections (K routers sending the same data).</summary>
    public int Connections { get; init; } = 1;

    /// <summary>How many times each connection sends its stream, back to back.</summary>
    public int Loop { get; init; } = 1;

    /// <summary>The collector's TCP port in the captures; null to detect it.</summary>
    public ushort? BmpPort { get; init; }

    /// <summary>How long a connection waits, after its FIN, for the collector to close.</summary>
    public TimeSpan CloseTimeout { get; init; } = DefaultCloseTimeout;

    /// <summary>How long one TCP connect may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;
}
