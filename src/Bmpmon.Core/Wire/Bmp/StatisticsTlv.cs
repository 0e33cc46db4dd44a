using System.Buffers.Binary;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Core.Wire.Bmp;

/// <summary>How a statistics value was decoded: by its length, not by its type.</summary>
public enum StatisticsValueKind : byte
{
    /// <summary>Neither 4, 8 nor 11 bytes: kept raw in <see cref="StatisticsTlv.RawValue"/>.</summary>
    Raw,

    /// <summary>4 bytes: a 32-bit counter.</summary>
    Counter32,

    /// <summary>8 bytes: a 64-bit gauge.</summary>
    Gauge64,

    /// <summary>11 bytes: AFI (2), SAFI (1), 64-bit gauge (per-AFI/SAFI types such as 9, 10, 16, 17).</summary>
    PerAfiSafiGauge64,
}

/// <summary>
/// One Statistics Report counter (RFC 7854 s4.8): type (2), length (2), value. The value is decoded by
/// its length because real routers send some 32-bit types as 8 bytes: trust the length, not the type.
/// </summary>
public readonly ref struct StatisticsTlv
{
    /// <summary>Creates a counter view and decodes its value by length.</summary>
    public StatisticsTlv(StatisticsType type, ReadOnlySpan<byte> rawValue, int offset)
    {
        Type = type;
        RawValue = rawValue;
        Offset = offset;
        switch (rawValue.Length)
        {
            case 4:
                Kind = StatisticsValueKind.Counter32;
                Value = BinaryPrimitives.ReadUInt32BigEndian(rawValue);
                break;
            case 8:
                Kind = StatisticsValueKind.Gauge64;
                Value = BinaryPrimitives.ReadUInt64BigEndian(rawValue);
                break;
            case 11:
                Kind = StatisticsValueKind.PerAfiSafiGauge64;
                Family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(rawValue), (Safi)rawValue[2]);
                Value = BinaryPrimitives.ReadUInt64BigEndian(rawValue[3..]);
                break;
            default:
                Kind = StatisticsValueKind.Raw;
                break;
        }
    }

    /// <summary>The statistics type; unknown types are kept.</summary>
    public StatisticsType Type { get; }

    /// <summary>The value length on the wire.</summary>
    public ushort Length => (ushort)RawValue.Length;

    /// <summary>The value bytes.</summary>
    public ReadOnlySpan<byte> RawValue { get; }

    /// <summary>Absolute offset of the type field within the BMP message.</summary>
    public int Offset { get; }

    /// <summary>How <see cref="Value"/> was decoded.</summary>
    public StatisticsValueKind Kind { get; }

    /// <summary>The counter or gauge (0 for <see cref="StatisticsValueKind.Raw"/>).</summary>
    public ulong Value { get; }

    /// <summary>The family of a per-AFI/SAFI gauge (default otherwise).</summary>
    public AfiSafi Family { get; }
}
