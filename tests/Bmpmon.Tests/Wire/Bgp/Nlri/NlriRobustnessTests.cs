using Bmpmon.Core.Wire.Bgp.Nlri;
using Bmpmon.Core.Wire.Iana;
using Bmpmon.Core.Wire.Primitives;
using static Bmpmon.Tests.Wire.Bgp.Nlri.NlriTestSupport;
using static Bmpmon.Tests.Wire.Bgp.Nlri.Rfc7432EvpnTests;

namespace Bmpmon.Tests.Wire.Bgp.Nlri;

/// <summary>Untrusted bytes: every truncation of a valid buffer and random bytes decode to routes or an error, never an exception.</summary>
public sealed class NlriRobustnessTests
{
    public static TheoryData<string, string, bool, bool> Buffers => new()
    {
        { "ipv4-unicast", "18 c00002 00 20 c6336407 08 0a", false, false },
        { "ipv6-unicast", "80 20010db8000000000000000000000001 40 20010db800420000 00", false, false },
        { "ipv4-unicast", "00000001 18 c00002 00000002 18 c63364", true, false },
        { "ipv4-labeled-unicast", "48 000100 000111 c00002 30 000101 c00002 18 000031", false, false },
        { "ipv4-labeled-unicast", "30 800000 c00002 30 000000 c63364", false, true },
        { "ipv4-vpn", "70 e00301 0000fbf300000069 c0002a 90 000100 0003e1 0002fa56ea000007 cb00710f", false, false },
        { "ipv6-vpn", "98 800000 0000fbf300000069 20010db800420000", false, true },
        {
            "l2vpn-evpn",
            $"01 19 0001c633649a0201 00000000000000000000 00000201 e00000 02 28 {Rd} {Esi} {EthTag} 30 00005e005301 20 c000020a 003e81 007d01 "
            + $"03 11 {Rd} {EthTag} 20 c0000201 04 17 {Rd} {Esi} 20 c0000201 05 22 {Rd} {Esi} {EthTag} 18 c6336400 c0000201 0003e1 0b 03 aabbcc",
            false, false
        },
    };

    [Theory]
    [MemberData(nameof(Buffers))]
    public void Every_truncation_decodes_a_prefix_of_the_routes_or_an_error_never_throws(string familyName, string hex, bool addPath, bool isWithdrawal)
    {
        var family = FamilyNamed(familyName);
        var data = Hex(hex);
        var (all, fullError) = ReadAll(data, family, addPath, isWithdrawal);
        Assert.False(fullError.IsError, fullError.ToString());
        Assert.NotEmpty(all);
        Assert.Equal(all.Count, NlriEncoding.Count(data, family, addPath, isWithdrawal));

        for (var cut = 0; cut < data.Length; cut++)
        {
            var (routes, error) = ReadAll(data.AsSpan(0, cut), family, addPath, isWithdrawal, baseOffset: 1000);

            // What was decoded matches the full decode, route for route.
            for (var i = 0; i < routes.Count; i++)
            {
                Assert.Equal(all[i].RawHex, routes[i].RawHex);
            }

            var boundary = routes.Sum(r => r.RawHex.Length / 2);
            if (boundary == cut)
            {
                Assert.False(error.IsError);
            }
            else
            {
                Assert.True(error.IsError, $"cut at {cut}: no error");
                Assert.InRange(error.Offset, 1000 + boundary, 1000 + cut);
            }
        }
    }

    [Fact]
    public void Random_bytes_never_throw_in_any_family()
    {
        AfiSafi[] families =
        [
            AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast, Ipv4Labeled, Ipv6Labeled, Ipv4Vpn, Ipv6Vpn, AfiSafi.L2vpnEvpn,
            new(Afi.BgpLs, Safi.BgpLs),
        ];
        var random = new Random(7911);
        var buffer = new byte[64];
        for (var round = 0; round < 3000; round++)
        {
            random.NextBytes(buffer);
            var length = random.Next(buffer.Length + 1);

            // Bias EVPN route types into 1-5 so the per-type decoders see random values too.
            if (length > 0 && round % 2 == 0)
            {
                buffer[0] = (byte)(1 + round % 5);
            }

            foreach (var family in families)
            {
                foreach (var addPath in new[] { false, true })
                {
                    var reader = new NlriReader(buffer.AsSpan(0, length), 0, family, addPath, isWithdrawal: round % 3 == 0);
                    var guard = 0;
                    while (reader.TryRead(out var nlri, out _))
                    {
                        Assert.True(nlri.Raw.Length > 0);
                        Assert.True(++guard <= length);
                    }
                }
            }
        }
    }

    private static AfiSafi FamilyNamed(string name) => name switch
    {
        "ipv4-unicast" => AfiSafi.Ipv4Unicast,
        "ipv6-unicast" => AfiSafi.Ipv6Unicast,
        "ipv4-labeled-unicast" => Ipv4Labeled,
        "ipv4-vpn" => Ipv4Vpn,
        "ipv6-vpn" => Ipv6Vpn,
        "l2vpn-evpn" => AfiSafi.L2vpnEvpn,
        _ => throw new ArgumentException(name, nameof(name)),
    };
}
