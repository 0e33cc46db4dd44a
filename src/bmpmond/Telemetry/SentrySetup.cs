using Sentry;

namespace Bmpmond.Telemetry;

/// <summary>The Sentry SDK options for the daemon: only what was asked for, nothing that reflects or leaks.</summary>
internal static class SentrySetup
{
    public static void Configure(SentryOptions options, string dsn, string environment, double tracesSampleRate)
    {
        options.Dsn = dsn;
        options.Environment = environment;
        options.TracesSampleRate = tracesSampleRate;
        options.Release = "bmpmond@" + BuildInfo.Version;

        // No personal data: no user, no OS user name, no request bodies.
        options.SendDefaultPii = false;
        options.IsEnvironmentUser = false;

        // The SDK fills the user id with an "installation id"; with file writes off (below) that is
        // the first network interface's MAC address, sent with every event. Nothing here needs it.
        options.SetBeforeSend(static (evt, _) =>
        {
            evt.User = new SentryUser();
            return evt;
        });

        // A daemon, not an app: no release-health sessions, no files written, no extra envelopes.
        options.AutoSessionTracking = false;
        options.DisableFileWrite = true;
        options.SendClientReports = false;
        options.ReportAssembliesMode = ReportAssembliesMode.None;

        // Events are raised from network threads: walking the stack for every malformed message costs
        // too much there, and the event's tags and extras already say where it came from.
        options.AttachStacktrace = false;

        // Integrations the daemon has no use for (EF/SqlClient spans, metrics listeners).
        options.DisableDiagnosticSourceIntegration();
        options.DisableSystemDiagnosticsMetricsIntegration();
    }
}
