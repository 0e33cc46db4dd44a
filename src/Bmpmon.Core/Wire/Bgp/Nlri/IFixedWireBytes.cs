namespace Bmpmon.Core.Wire.Bgp.Nlri;

/// <summary>An identifier with a fixed wire size that writes its wire bytes (RD, ESI, MAC): what <see cref="HexText"/> formats.</summary>
internal interface IFixedWireBytes
{
    /// <summary>Wire size in bytes.</summary>
    static abstract int WireSize { get; }

    /// <summary>Writes the <see cref="WireSize"/> wire bytes.</summary>
    void WriteBytes(Span<byte> destination);
}
