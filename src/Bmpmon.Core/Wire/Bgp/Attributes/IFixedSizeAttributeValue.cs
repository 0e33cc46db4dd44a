namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>
/// An element of a list attribute with a fixed wire size (communities, extended and large
/// communities). Static abstract members let <see cref="AttributeValueList{T}"/> decode elements
/// without boxing or virtual calls, which keeps it AOT- and allocation-friendly.
/// </summary>
/// <typeparam name="TSelf">The element type.</typeparam>
public interface IFixedSizeAttributeValue<TSelf>
    where TSelf : struct, IFixedSizeAttributeValue<TSelf>
{
    /// <summary>Size of one element on the wire, in octets.</summary>
    static abstract int WireSize { get; }

    /// <summary>Decodes one element from exactly <see cref="WireSize"/> octets.</summary>
    static abstract TSelf Read(ReadOnlySpan<byte> bytes);
}
