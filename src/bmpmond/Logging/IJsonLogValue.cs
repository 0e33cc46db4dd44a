using System.Text.Json;

namespace Bmpmond.Logging;

/// <summary>
/// A log field value that renders as nested JSON (an object or an array) instead of a string, such as
/// the per-family counters of a route_stats line. <see cref="WriteTo"/> runs on the logging thread at
/// the moment of the log call, so it sees the values as they were then.
/// </summary>
internal interface IJsonLogValue
{
    /// <summary>Writes exactly one JSON value.</summary>
    void WriteTo(Utf8JsonWriter writer);
}
