using System.Buffers.Binary;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>The Multiprotocol Extensions capability (code 1, RFC 4760 s8): AFI (2), reserved (1), SAFI (1).</summary>
public static class MultiprotocolCapability
{
    /// <summary>Size of the value.</summary>
    public const int Size = 4;

    /// <summary>Decodes the address family; <see cref="DecodeErrorCode.BadLength"/> unless the value is 4 bytes.</summary>
    public static bool TryDecode(in Capability capability, out AfiSafi family, out DecodeError error)
    {
        if (capability.Value.Length != Size)
        {
            family = default;
            error = new DecodeError(DecodeErrorCode.BadLength, capability.Offset + 1, "multiprotocol capability");
            return false;
        }

        family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(capability.Value), (Safi)capability.Value[3]);
        error = default;
        return true;
    }
}
