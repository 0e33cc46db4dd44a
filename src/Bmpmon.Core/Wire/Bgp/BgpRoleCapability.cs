using Bmpmon.Core.Wire.Primitives;

namespace Bmpmon.Core.Wire.Bgp;

/// <summary>BGP roles (RFC 9234 s4.1, IANA "BGP Role").</summary>
public enum BgpRole : byte
{
    /// <summary>Provider.</summary>
    Provider = 0,

    /// <summary>Route server.</summary>
    RouteServer = 1,

    /// <summary>Route server client.</summary>
    RouteServerClient = 2,

    /// <summary>Customer.</summary>
    Customer = 3,

    /// <summary>Peer (lateral).</summary>
    Peer = 4,
}

/// <summary>The BGP Role capability (code 9, RFC 9234 s4.1): one byte.</summary>
public static class BgpRoleCapability
{
    /// <summary>Decodes the role; <see cref="DecodeErrorCode.BadLength"/> unless the value is 1 byte.</summary>
    public static bool TryDecode(in Capability capability, out BgpRole role, out DecodeError error)
    {
        if (capability.Value.Length != 1)
        {
            role = default;
            error = new DecodeError(DecodeErrorCode.BadLength, capability.Offset + 1, "BGP role capability");
            return false;
        }

        role = (BgpRole)capability.Value[0];
        error = default;
        return true;
    }
}
