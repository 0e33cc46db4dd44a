namespace Bmpmon.Core.Wire.Primitives;

/// <summary>An IP prefix: an address and a length in bits, as NLRI carry it.</summary>
/// <param name="Address">The prefix bits (host bits as sent).</param>
/// <param name="Length">Prefix length in bits (0-32 or 0-128).</param>
public readonly record struct IpPrefix(IpAddr Address, byte Length)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Address}/{Length}";
}
