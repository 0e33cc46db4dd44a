using Bmpmon.Core.Wire.Bgp.Attributes;
using static Bmpmon.Tests.Wire.Bgp.Attributes.AttributeHex;

namespace Bmpmon.Tests.Wire.Bgp.Attributes;

/// <summary>
/// A parse into a reused variable must start from scratch. An earlier version (out parameter
/// zeroed with <c>result = default</c>, then mutated) kept the previous Count under the
/// optimizing JIT of .NET 10.0.12; this guards against that coming back.
/// </summary>
public sealed class ReparseTests
{
    [Fact]
    public void Reparse_starts_from_scratch()
    {
        var full = Block(Realistic(), Hex("E0 63 01 00"), Hex("40 01 01 07"));
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(PathAttributes.TryParse(full, Base, true, out var pa, out _));
            Assert.Equal(10, pa.Count);
            Assert.Equal(1, pa.UnknownCount);
            Assert.Equal(1, pa.MalformedCount);

            Assert.True(PathAttributes.TryParse(default, Base, true, out pa, out _));
            Assert.Equal(0, pa.Count);
            Assert.Equal(0, pa.UnknownCount);
            Assert.Equal(0, pa.MalformedCount);
            Assert.False(pa.TreatAsWithdraw);
            Assert.False(pa.HasMed);
            Assert.False(pa.AsPath.IsPresent);
            Assert.True(pa.Communities.IsEmpty);
        }
    }
}
