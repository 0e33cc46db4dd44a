namespace Bmpmon.Core.Storage;

/// <summary>
/// Schema step 2, for the periodic jobs, <c>bmpmond status</c> and <c>bmpmond import</c>: each job
/// records its interval (so <c>status</c> can tell an overdue job from a slow one), and the import
/// ledger remembers every file loaded by its SHA-256 so importing it again adds nothing.
/// </summary>
public static class OperationsMigration
{
    /// <summary>The step's SQL; <c>{schema}</c> stands for the schema name.</summary>
    public const string Sql = """
        ALTER TABLE {schema}.jobs ADD COLUMN IF NOT EXISTS interval_s double precision;

        CREATE TABLE IF NOT EXISTS {schema}.import_ledger (
            sha256       bytea PRIMARY KEY CHECK (length(sha256) = 32),
            file_name    text NOT NULL,
            bytes        bigint NOT NULL,
            streams      int NOT NULL,
            routes       bigint NOT NULL,
            imported_at  timestamptz NOT NULL DEFAULT now()
        );

        -- Drops the daily route_updates partitions (route_updates_pYYYYMMDD, as bmpmond names them)
        -- whose whole day ends at or before cutoff; returns how many went. The DEFAULT partition stays.
        CREATE OR REPLACE FUNCTION {schema}.drop_route_update_partitions(cutoff timestamptz)
        RETURNS int LANGUAGE plpgsql AS $fn$
        DECLARE
            part record;
            dropped int := 0;
        BEGIN
            FOR part IN
                SELECT c.relname
                FROM pg_inherits i
                JOIN pg_class c ON c.oid = i.inhrelid
                JOIN pg_class p ON p.oid = i.inhparent
                JOIN pg_namespace n ON n.oid = p.relnamespace
                WHERE n.nspname = '{schema}' AND p.relname = 'route_updates'
                  AND c.relname ~ '^route_updates_p[0-9]{8}$'
                  AND (to_date(substr(c.relname, 16), 'YYYYMMDD') + 1)::timestamptz <= cutoff
            LOOP
                EXECUTE format('DROP TABLE %I.%I', '{schema}', part.relname);
                dropped := dropped + 1;
            END LOOP;
            RETURN dropped;
        END
        $fn$;
        """;
}
