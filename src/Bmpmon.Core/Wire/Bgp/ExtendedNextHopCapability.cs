using System.Buffers.Binary;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>One Extended Next Hop Encoding entry: NLRI of <paramref name="Family"/> may carry a next hop of <paramref name="NextHopAfi"/>.</summary>
/// <param name="Family">NLRI AFI and SAFI (the SAFI is 2 bytes on the wire; its low byte is kept).</param>
/// <param name="NextHopAfi">The next hop's address family.</param>
public readonly record struct ExtendedNextHopEntry(AfiSafi Family, Afi NextHopAfi);

/// <summary>The Extended Next Hop Encoding capability (code 5, RFC 8950 s3): a list of NLRI AFI (2), NLRI SAFI (2), Next Hop AFI (2).</summary>
public readonly ref struct ExtendedNextHopCapability
{
    /// <summary>Size of one entry.</summary>
    public const int EntrySize = 6;

    private readonly ReadOnlySpan<byte> _value;

    private ExtendedNextHopCapability(ReadOnlySpan<byte> value) => _value = value;

    /// <summary>Number of entries.</summary>
    public int Count => _value.Length / EntrySize;

    /// <summary>The entry at <paramref name="index"/>.</summary>
    public ExtendedNextHopEntry this[int index]
    {
        get
        {
            var e = _value.Slice(index * EntrySize, EntrySize);
            var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(e), (Safi)BinaryPrimitives.ReadUInt16BigEndian(e[2..]));
            return new ExtendedNextHopEntry(family, (Afi)BinaryPrimitives.ReadUInt16BigEndian(e[4..]));
        }
    }

    /// <summary>Decodes the capability; <see cref="DecodeErrorCode.BadLength"/> unless the value is a whole number of 6-byte entries.</summary>
    public static bool TryDecode(in Capability capability, out ExtendedNextHopCapability extendedNextHop, out DecodeError error)
    {
        if (capability.Value.Length % EntrySize != 0)
        {
            extendedNextHop = default;
            error = new DecodeError(DecodeErrorCode.BadLength, capability.Offset + 1, "extended next hop capability");
            return false;
        }

        extendedNextHop = new ExtendedNextHopCapability(capability.Value);
        error = default;
        return true;
    }
}
