using System.Buffers.Binary;
using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>The Support for 4-octet AS number capability (code 65, RFC 6793 s3): the speaker's 4-byte AS.</summary>
public static class FourOctetAsCapability
{
    /// <summary>Size of the value.</summary>
    public const int Size = 4;

    /// <summary>AS_TRANS (RFC 6793 s9): what My Autonomous System holds when the real AS needs 4 bytes.</summary>
    public const ushort AsTrans = 23456;

    /// <summary>Decodes the AS; <see cref="DecodeErrorCode.BadLength"/> unless the value is 4 bytes.</summary>
    public static bool TryDecode(in Capability capability, out uint asn, out DecodeError error)
    {
        if (capability.Value.Length != Size)
        {
            asn = 0;
            error = new DecodeError(DecodeErrorCode.BadLength, capability.Offset + 1, "4-octet AS capability");
            return false;
        }

        asn = BinaryPrimitives.ReadUInt32BigEndian(capability.Value);
        error = default;
        return true;
    }
}
