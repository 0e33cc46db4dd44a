namespace Bmpmon.Core.Wire.Bgp;

/// <summary>The Send/Receive field of an ADD-PATH capability entry (RFC 7911 s4).</summary>
[Flags]
public enum AddPathDirection : byte
{
    /// <summary>Not valid on the wire; the absence of add-path.</summary>
    None = 0,

    /// <summary>The sender can receive multiple paths.</summary>
    Receive = 1,

    /// <summary>The sender can send multiple paths.</summary>
    Send = 2,

    /// <summary>Both.</summary>
    Both = 3,
}
