namespace Bmpmon.Core.Storage;

/// <summary>The records of a storage row buffer (<see cref="StorageRowWriter"/>), in the order the router sent what they describe.</summary>
public enum StorageRecordKind : byte
{
    /// <summary>Initiation (RFC 7854 s4.3): sysName and sysDescr.</summary>
    Initiation = 1,

    /// <summary>Termination (RFC 7854 s4.5): the router ends the session.</summary>
    Termination = 2,

    /// <summary>A monitored peer first seen in this session: its session-local index and per-peer header identity.</summary>
    PeerDefinition = 3,

    /// <summary>Peer Up (RFC 7854 s4.10).</summary>
    PeerUp = 4,

    /// <summary>Peer Down (RFC 7854 s4.9).</summary>
    PeerDown = 5,

    /// <summary>A path attribute set, sent once per id per session while it stays in the session's cache.</summary>
    Attributes = 6,

    /// <summary>One announced or withdrawn NLRI.</summary>
    Route = 7,

    /// <summary>End-of-RIB (RFC 4724 s2) of one RIB and family of a peer: the end of its initial table dump.</summary>
    EndOfRib = 8,

    /// <summary>A message that could not be decoded (or bytes that could not be framed), kept whole for bmp_quarantine.</summary>
    Quarantine = 9,
}
