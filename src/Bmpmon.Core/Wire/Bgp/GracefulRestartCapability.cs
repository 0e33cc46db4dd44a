using System.Buffers.Binary;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>
/// The Graceful Restart capability (code 64, RFC 4724 s3, RFC 8538 s2): Restart Flags (4 bits:
/// R, N) and Restart Time (12 bits), then per family AFI (2), SAFI (1), flags (1, F = forwarding
/// state preserved). An empty list is valid (the speaker only announces restart support).
/// </summary>
public readonly ref struct GracefulRestartCapability
{
    /// <summary>Size of the fixed part.</summary>
    public const int HeaderSize = 2;

    /// <summary>Size of one family entry.</summary>
    public const int EntrySize = 4;

    private readonly ReadOnlySpan<byte> _families;

    private GracefulRestartCapability(ushort flagsAndTime, ReadOnlySpan<byte> families)
    {
        RestartState = (flagsAndTime & 0x8000) != 0;
        SupportsNotification = (flagsAndTime & 0x4000) != 0;
        RestartTime = (ushort)(flagsAndTime & 0x0FFF);
        _families = families;
    }

    /// <summary>R bit: the speaker has restarted.</summary>
    public bool RestartState { get; }

    /// <summary>N bit (RFC 8538): graceful restart also applies to NOTIFICATION messages.</summary>
    public bool SupportsNotification { get; }

    /// <summary>Restart time in seconds.</summary>
    public ushort RestartTime { get; }

    /// <summary>Number of family entries.</summary>
    public int Count => _families.Length / EntrySize;

    /// <summary>The family of entry <paramref name="index"/>.</summary>
    public AfiSafi GetFamily(int index)
    {
        var e = _families.Slice(index * EntrySize, EntrySize);
        return new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(e), (Safi)e[2]);
    }

    /// <summary>True when forwarding state was preserved for entry <paramref name="index"/> (F bit).</summary>
    public bool IsForwardingPreserved(int index) => (_families[(index * EntrySize) + 3] & 0x80) != 0;

    /// <summary>Decodes the capability; <see cref="DecodeErrorCode.BadLength"/> unless 2 + 4n bytes.</summary>
    public static bool TryDecode(in Capability capability, out GracefulRestartCapability gracefulRestart, out DecodeError error)
    {
        var value = capability.Value;
        if (value.Length < HeaderSize || (value.Length - HeaderSize) % EntrySize != 0)
        {
            gracefulRestart = default;
            error = new DecodeError(DecodeErrorCode.BadLength, capability.Offset + 1, "graceful restart capability");
            return false;
        }

        gracefulRestart = new GracefulRestartCapability(BinaryPrimitives.ReadUInt16BigEndian(value), value[HeaderSize..]);
        error = default;
        return true;
    }
}
