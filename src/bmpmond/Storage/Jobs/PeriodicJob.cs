using Npgsql;

namespace Bmpmond.Storage.Jobs;

/// <summary>One periodic job: its <c>jobs.name</c>, interval, and body, which returns the result text recorded on success.</summary>
internal sealed record PeriodicJob(string Name, TimeSpan Interval, Func<NpgsqlConnection, string> Run);
