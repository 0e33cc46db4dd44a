namespace Bmpmon.Tests.Telemetry;

/// <summary>
/// The Sentry SDK is static, one per process: the tests that start it (in-process daemons with a DSN)
/// or assert it is not started run alone, after every other test, so nothing else shares the hub.
/// The Native AOT test is here too: it then runs after the packaging test, which may have published
/// the binary it reuses, instead of publishing beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SentryCollection
{
    public const string Name = "Sentry SDK";
}
