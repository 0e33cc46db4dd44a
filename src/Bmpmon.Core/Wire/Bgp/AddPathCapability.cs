using System.Buffers.Binary;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>One ADD-PATH capability entry: a family and the directions the speaker supports for it.</summary>
/// <param name="Family">The address family.</param>
/// <param name="Direction">Receive, Send or Both (other values are kept as sent).</param>
public readonly record struct AddPathEntry(AfiSafi Family, AddPathDirection Direction)
{
    /// <summary>True when the speaker can send multiple paths for the family.</summary>
    public bool CanSend => (Direction & AddPathDirection.Send) != 0;

    /// <summary>True when the speaker can receive multiple paths for the family.</summary>
    public bool CanReceive => (Direction & AddPathDirection.Receive) != 0;
}

/// <summary>
/// The ADD-PATH capability (code 69, RFC 7911 s4): a list of AFI (2), SAFI (1), Send/Receive (1).
/// </summary>
public readonly ref struct AddPathCapability
{
    /// <summary>Size of one entry.</summary>
    public const int EntrySize = 4;

    private readonly ReadOnlySpan<byte> _value;

    private AddPathCapability(ReadOnlySpan<byte> value) => _value = value;

    /// <summary>Number of entries.</summary>
    public int Count => _value.Length / EntrySize;

    /// <summary>The entry at <paramref name="index"/> (0 &lt;= index &lt; <see cref="Count"/>).</summary>
    public AddPathEntry this[int index]
    {
        get
        {
            var e = _value.Slice(index * EntrySize, EntrySize);
            return new AddPathEntry(new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(e), (Safi)e[2]), (AddPathDirection)e[3]);
        }
    }

    /// <summary>Decodes the capability; <see cref="DecodeErrorCode.BadLength"/> unless the value is a whole number of 4-byte entries.</summary>
    public static bool TryDecode(in Capability capability, out AddPathCapability addPath, out DecodeError error)
    {
        if (capability.Value.Length % EntrySize != 0)
        {
            addPath = default;
            error = new DecodeError(DecodeErrorCode.BadLength, capability.Offset + 1, "ADD-PATH capability");
            return false;
        }

        addPath = new AddPathCapability(capability.Value);
        error = default;
        return true;
    }
}
