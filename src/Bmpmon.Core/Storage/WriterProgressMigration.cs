namespace Bmpmon.Core.Storage;

/// <summary>
/// Schema step 7: <c>writer_progress</c>, two rows per running writer (a daemon's database thread),
/// holding the number of the last batch whose history (route_updates; attribute sets in the first
/// release of this step) and whose state (routes, peers, events) committed: a row each, so the two
/// transactions never wait for each other's row lock. The daemon commits them on connections of
/// their own at once, the history first; after a failure it reads its row to redo only what did
/// not commit, so neither is lost or written twice, even when the database committed and the
/// acknowledgement was lost.
/// </summary>
public static class WriterProgressMigration
{
    /// <summary>The step's version.</summary>
    public const int Version = 7;

    /// <summary>What the step does, as printed by <c>bmpmond migrate</c>.</summary>
    public const string Description = "writer_progress: the last batch each writer committed, per half";

    /// <summary>The step's SQL; <c>{schema}</c> stands for the schema name.</summary>
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS {schema}.writer_progress (
            writer   uuid NOT NULL,
            half     text NOT NULL CHECK (half IN ('history', 'state')),
            batch    bigint NOT NULL DEFAULT 0,
            updated  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (writer, half)
        );
        """;
}
