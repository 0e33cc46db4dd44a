namespace Bmpmon.Tests.Wire.Bmp;

/// <summary>Hand-built messages for the BMP tests.</summary>
internal static class Hex
{
    /// <summary>Bytes from hex, spaces ignored.</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    /// <summary>A BMP message: common header (version, length, type) + body parts in hex.</summary>
    public static byte[] Bmp(byte type, params string[] body) => Bmp(3, type, body);

    /// <summary>A BMP message of a given version.</summary>
    public static byte[] Bmp(byte version, byte type, params string[] body)
    {
        var payload = Bytes(string.Concat(body));
        var message = new byte[6 + payload.Length];
        message[0] = version;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), (uint)message.Length);
        message[5] = type;
        payload.CopyTo(message, 6);
        return message;
    }

    /// <summary>A per-peer header in hex: type, flags, RD, 16-byte address, AS, BGP ID, seconds, microseconds.</summary>
    public static string Peer(byte type = 0, byte flags = 0, string rd = "0000000000000000", string address = "000000000000000000000000C0000201", uint asn = 65001, string bgpId = "C0000201", uint seconds = 1700000000, uint micros = 123456) =>
        $"{type:X2}{flags:X2}{rd}{address}{asn:X8}{bgpId}{seconds:X8}{micros:X8}";

    /// <summary>A BGP message in hex: marker, length, type, body.</summary>
    public static string Bgp(byte type, string body)
    {
        var length = 19 + (body.Replace(" ", string.Empty, StringComparison.Ordinal).Length / 2);
        return $"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF{length:X4}{type:X2}{body}";
    }

    /// <summary>An OPEN in hex with the given optional parameters (hex).</summary>
    public static string Open(ushort myAs, ushort holdTime, string bgpId, string parameters)
    {
        var p = parameters.Replace(" ", string.Empty, StringComparison.Ordinal);
        return Bgp(1, $"04{myAs:X4}{holdTime:X4}{bgpId}{p.Length / 2:X2}{p}");
    }

    /// <summary>A Capabilities optional parameter (type 2) holding the given capabilities (hex).</summary>
    public static string Caps(params string[] capabilities)
    {
        var c = string.Concat(capabilities).Replace(" ", string.Empty, StringComparison.Ordinal);
        return $"02{c.Length / 2:X2}{c}";
    }

    /// <summary>One capability in hex: code, length, value.</summary>
    public static string Cap(byte code, string value)
    {
        var v = value.Replace(" ", string.Empty, StringComparison.Ordinal);
        return $"{code:X2}{v.Length / 2:X2}{v}";
    }

    /// <summary>A TLV without index.</summary>
    public static string Tlv(ushort type, string value)
    {
        var v = value.Replace(" ", string.Empty, StringComparison.Ordinal);
        return $"{type:X4}{v.Length / 2:X4}{v}";
    }

    /// <summary>A BMP v4 Route Monitoring TLV with index.</summary>
    public static string TlvIndexed(ushort type, ushort index, string value)
    {
        var v = value.Replace(" ", string.Empty, StringComparison.Ordinal);
        return $"{type:X4}{v.Length / 2:X4}{index:X4}{v}";
    }

    /// <summary>ASCII text as hex.</summary>
    public static string Text(string s) => Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(s));

    /// <summary>A minimal UPDATE (End-of-RIB for IPv4 unicast).</summary>
    public static string EndOfRib => Bgp(2, "00000000");
}
