using Bmpmond.Logging;

namespace Bmpmon.Tests.Logging;

public class HexAndNamesTests
{
    [Fact]
    public void FirstBytes_is_lowercase_and_capped()
    {
        Assert.Equal("00ff0a", Hex.FirstBytes(new byte[] { 0x00, 0xFF, 0x0A }));
        Assert.Equal(512, Hex.FirstBytes(new byte[1000]).Length);
        Assert.Equal("0102", Hex.FirstBytes(new byte[] { 1, 2, 3 }, max: 2));
        Assert.Equal("", Hex.FirstBytes([]));
    }

    [Theory]
    [InlineData("Address", "address")]
    [InlineData("PeerBgpId", "peer_bgp_id")]
    [InlineData("peerAs", "peer_as")]
    [InlineData("firstBytesHex", "first_bytes_hex")]
    [InlineData("already_snake", "already_snake")]
    public void Field_names_are_snake_case(string name, string expected) => Assert.Equal(expected, SnakeCase.Convert(name));

    [Fact]
    public void A_field_never_shadows_the_line_properties()
    {
        Assert.Equal("field_message", SnakeCase.PropertyName("Message").Value);
        Assert.Equal("field_level", SnakeCase.PropertyName("level").Value);
    }
}
