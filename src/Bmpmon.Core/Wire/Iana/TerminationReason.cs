namespace Bmpmon.Core.Wire.Iana;

/// <summary>Termination reason codes (RFC 7854 s4.5, IANA "BMP Termination Message Reason Codes").</summary>
public enum TerminationReason : ushort
{
    /// <summary>Session administratively closed.</summary>
    AdministrativelyClosed = 0,

    /// <summary>Unspecified reason.</summary>
    Unspecified = 1,

    /// <summary>Out of resources.</summary>
    OutOfResources = 2,

    /// <summary>Redundant connection.</summary>
    RedundantConnection = 3,

    /// <summary>Session permanently administratively closed.</summary>
    PermanentlyAdministrativelyClosed = 4,
}
