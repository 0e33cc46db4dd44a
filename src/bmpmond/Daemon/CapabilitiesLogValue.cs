using System.Text.Json;
using Bmpmon.Core.Wire.Bgp;
using Bmpmond.Logging;
using Bmpmond.Output;

namespace Bmpmond.Daemon;

/// <summary>
/// The <c>capabilities</c> field of a <c>peer_up</c> line: what the two OPENs negotiated (4-byte AS,
/// families, Add-Path per direction, route refresh, graceful restart, FQDN), as the jsonl
/// <c>peer_up</c> event's <c>negotiated</c> object, so the log and the output agree.
/// </summary>
internal sealed class CapabilitiesLogValue(PeerCapabilities capabilities) : IJsonLogValue
{
    public void WriteTo(Utf8JsonWriter writer) => MessageJson.WriteNegotiatedValue(writer, capabilities);

    public override string ToString() => string.Join(",", capabilities.Families.Select(f => f.Name));
}
