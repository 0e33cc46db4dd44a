using Bmpmon.Core.Storage;
using Bmpmond.Configuration;
using Bmpmond.Storage;
using Npgsql;

namespace Bmpmond.Commands;

/// <summary>
/// <c>bmpmond migrate [--env-file PATH]</c>: creates or upgrades the PostgreSQL schema at
/// <c>BMPMOND_DATABASE_URL</c> and prints each step it applied. Exit 0 when the schema is current,
/// 1 when the database refused or could not be reached, 2 on bad usage or settings.
/// </summary>
internal static class MigrateCommand
{
    public const string Usage = "usage: bmpmond migrate [--env-file PATH]";

    public static int Run(ReadOnlySpan<string> args, Stream stdout, TextWriter stderr)
    {
        if (!CommandSettings.TryReadEnvFileOnly(args, Usage, stderr, out var envFile)
            || CommandSettings.Database("migrate", envFile, stderr) is not { } database)
        {
            return 2;
        }

        using var writer = new StreamWriter(stdout, leaveOpen: true) { AutoFlush = true };
        try
        {
            using var dataSource = PostgresDatabase.Create(database.ConnectionString, "bmpmond migrate");
            var applied = SchemaMigrator.Apply(dataSource, database.Schema);
            foreach (var step in applied)
            {
                writer.WriteLine($"applied {step.Version}: {step.Description}");
            }

            var latest = SchemaMigrations.All[^1].Version;
            writer.WriteLine(applied.Count == 0 ? $"schema {database.Schema} is current (version {latest})" : $"schema {database.Schema} is now at version {latest}");
            return 0;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            stderr.WriteLine($"bmpmond: migrate failed: {e.Message}");
            return 1;
        }
    }
}
