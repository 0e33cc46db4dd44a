namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>AS_PATH segment types (RFC 4271 s4.3; RFC 5065 s3 for the confederation types).</summary>
public enum AsPathSegmentType : byte
{
    /// <summary>Unordered set of ASes an aggregate traversed; counts as one hop.</summary>
    AsSet = 1,

    /// <summary>Ordered ASes the route traversed.</summary>
    AsSequence = 2,

    /// <summary>Ordered member ASes inside the local confederation; counts as zero hops.</summary>
    AsConfedSequence = 3,

    /// <summary>Unordered member ASes inside the local confederation; counts as zero hops.</summary>
    AsConfedSet = 4,
}
