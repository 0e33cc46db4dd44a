namespace Bmpmon.Core.Wire.Iana;

/// <summary>BMP peer types (RFC 7854 s4.2, RFC 9069 s4.1, IANA "BMP Peer Types").</summary>
public enum BmpPeerType : byte
{
    /// <summary>Global Instance Peer: a peer of the default routing instance (RFC 7854 s4.2).</summary>
    GlobalInstance = 0,

    /// <summary>RD Instance Peer: a peer in a VRF, identified by its route distinguisher (RFC 7854 s4.2).</summary>
    RdInstance = 1,

    /// <summary>Local Instance Peer: a peer in a locally defined instance, with a locally unique distinguisher (RFC 7854 s4.2).</summary>
    LocalInstance = 2,

    /// <summary>Loc-RIB Instance Peer: the router's own Loc-RIB (RFC 9069 s4.1).</summary>
    LocRibInstance = 3,
}
