using System.Buffers.Binary;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>A COMMUNITIES element (RFC 1997): a 32-bit value, conventionally "AS:value" in two 16-bit halves.</summary>
/// <param name="Value">The community as a 32-bit integer.</param>
public readonly record struct Community(uint Value) : IFixedSizeAttributeValue<Community>
{
    /// <summary>GRACEFUL_SHUTDOWN (RFC 8326).</summary>
    public const uint GracefulShutdown = 0xFFFF0000;

    /// <summary>ACCEPT_OWN (RFC 7611).</summary>
    public const uint AcceptOwn = 0xFFFF0001;

    /// <summary>LLGR_STALE (RFC 9494).</summary>
    public const uint LlgrStale = 0xFFFF0006;

    /// <summary>NO_LLGR (RFC 9494).</summary>
    public const uint NoLlgr = 0xFFFF0007;

    /// <summary>BLACKHOLE (RFC 7999).</summary>
    public const uint Blackhole = 0xFFFF029A;

    /// <summary>NO_EXPORT (RFC 1997).</summary>
    public const uint NoExport = 0xFFFFFF01;

    /// <summary>NO_ADVERTISE (RFC 1997).</summary>
    public const uint NoAdvertise = 0xFFFFFF02;

    /// <summary>NO_EXPORT_SUBCONFED (RFC 1997).</summary>
    public const uint NoExportSubconfed = 0xFFFFFF03;

    /// <summary>NOPEER (RFC 3765).</summary>
    public const uint NoPeer = 0xFFFFFF04;

    /// <inheritdoc/>
    public static int WireSize => 4;

    /// <inheritdoc/>
    public static Community Read(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes));

    /// <summary>The high 16 bits (by convention the AS that defined the community).</summary>
    public ushort Asn => (ushort)(Value >> 16);

    /// <summary>The low 16 bits.</summary>
    public ushort LocalValue => (ushort)Value;

    /// <summary>The IANA name of a well-known community ("NO_EXPORT"), or null.</summary>
    public string? WellKnownName => Value switch
    {
        GracefulShutdown => "GRACEFUL_SHUTDOWN",
        AcceptOwn => "ACCEPT_OWN",
        LlgrStale => "LLGR_STALE",
        NoLlgr => "NO_LLGR",
        Blackhole => "BLACKHOLE",
        NoExport => "NO_EXPORT",
        NoAdvertise => "NO_ADVERTISE",
        NoExportSubconfed => "NO_EXPORT_SUBCONFED",
        NoPeer => "NOPEER",
        _ => null,
    };

    /// <summary>Formats as "65000:100" (numeric even for well-known communities, so text compares stably).</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten)
    {
        var w = new CharWriter(destination);
        w.Put(Asn);
        w.Put(':');
        w.Put(LocalValue);
        return w.Finish(out charsWritten);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[16];
        return TryFormat(buffer, out var n) ? new string(buffer[..n]) : string.Empty;
    }
}
