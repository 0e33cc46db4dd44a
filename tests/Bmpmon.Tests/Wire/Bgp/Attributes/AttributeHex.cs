namespace Bmpmon.Tests.Wire.Bgp.Attributes;

/// <summary>Hand-built attribute bytes for the RFC suites.</summary>
internal static class AttributeHex
{
    /// <summary>Where the attribute block sits in the (imaginary) BMP message, so offsets are checked as absolute.</summary>
    public const int Base = 100;

    /// <summary>Bytes from hex, ignoring spaces.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    /// <summary>One attribute: flags, type, 1-octet length (2 octets when flags has 0x10), value.</summary>
    public static byte[] Attr(byte flags, byte type, string valueHex) => Attr(flags, type, Hex(valueHex));

    /// <summary>One attribute from raw value bytes.</summary>
    public static byte[] Attr(byte flags, byte type, byte[] value)
    {
        var extended = (flags & 0x10) != 0;
        var header = extended ? 4 : 3;
        var a = new byte[header + value.Length];
        a[0] = flags;
        a[1] = type;
        if (extended)
        {
            a[2] = (byte)(value.Length >> 8);
            a[3] = (byte)value.Length;
        }
        else
        {
            a[2] = (byte)value.Length;
        }

        value.CopyTo(a, header);
        return a;
    }

    /// <summary>Concatenates attributes into a block.</summary>
    public static byte[] Block(params byte[][] attributes) => attributes.SelectMany(a => a).ToArray();

    public static readonly byte[] Origin = Hex("40 01 01 00");
    public static readonly byte[] NextHop = Hex("40 03 04 C0000201");
    public static readonly byte[] Med = Hex("80 04 04 00000064");
    public static readonly byte[] LocalPref = Hex("40 05 04 000000C8");

    /// <summary>4-octet AS_PATH: SEQUENCE 65001..65005.</summary>
    public static readonly byte[] AsPath4 = Hex("40 02 16 02 05 0000FDE9 0000FDEA 0000FDEB 0000FDEC 0000FDED");
    public static readonly byte[] Communities = Hex("C0 08 10 FDE80064 FDE800C8 FFFFFF01 FFFF029A");
    public static readonly byte[] ExtendedCommunities = Hex("C0 10 10 0002FDE800000064 0102C00002010007");
    public static readonly byte[] LargeCommunities = Hex("C0 20 0C 0000FDE8 00000001 00000002");

    /// <summary>The realistic block of the brief: ORIGIN, AS_PATH (5), NEXT_HOP, MED, LOCAL_PREF, 4 communities, 2 extended, 1 large.</summary>
    public static byte[] Realistic() => Block(Origin, AsPath4, NextHop, Med, LocalPref, Communities, ExtendedCommunities, LargeCommunities);
}
