using System.Text.Json;

namespace Bmpmond.Replay;

/// <summary>What a replay sent, printed as one JSON object.</summary>
internal sealed class ReplayReport
{
    /// <summary>At most this many error lines are listed; <see cref="FailedConnections"/> counts them all.</summary>
    public const int MaxListedErrors = 100;

    /// <summary>Connections opened (or tried): copies times streams.</summary>
    public int Connections { get; init; }

    /// <summary>Distinct streams read from the input files.</summary>
    public int Streams { get; init; }

    /// <summary>Whole BMP messages sent over all connections.</summary>
    public long Messages { get; init; }

    /// <summary>Bytes sent over all connections.</summary>
    public long Bytes { get; init; }

    /// <summary>Wall time from the first connect to the last connection closed.</summary>
    public double Seconds { get; init; }

    /// <summary>Connections that did not send everything.</summary>
    public int FailedConnections { get; init; }

    /// <summary>Why connections failed, the first <see cref="MaxListedErrors"/> of them.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Messages per second of wall time.</summary>
    public double MessagesPerSecond => Seconds > 0 ? Messages / Seconds : 0;

    /// <summary>Writes the report as one JSON object.</summary>
    public void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteNumber("connections", Connections);
        json.WriteNumber("streams", Streams);
        json.WriteNumber("messages", Messages);
        json.WriteNumber("bytes", Bytes);
        json.WriteNumber("seconds", Math.Round(Seconds, 6));
        json.WriteNumber("messages_per_second", Math.Round(MessagesPerSecond, 1));
        json.WriteNumber("failed_connections", FailedConnections);
        json.WriteStartArray("errors");
        foreach (var error in Errors)
        {
            json.WriteStringValue(error);
        }

        if (FailedConnections > Errors.Count)
        {
            json.WriteStringValue($"... and {FailedConnections - Errors.Count} more failed connections");
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
