namespace Bmpmon.Core.Storage;

/// <summary>
/// Schema step 8: <c>attribute_id_key</c>, the database's one secret key for the ids of
/// <c>path_attributes</c> (<see cref="AttributeIdKey"/>), drawn once from the server's strong random
/// source (two <c>gen_random_uuid</c>, 244 random bits, through SHA-256 to 128 uniform ones). Sets stored before this step keep their
/// SHA-256-based ids; the same set arriving again gets a keyed id and a second row, which nothing
/// depends on being unique.
/// </summary>
public static class AttributeIdKeyMigration
{
    /// <summary>The step's version.</summary>
    public const int Version = 8;

    /// <summary>What the step does, as printed by <c>bmpmond migrate</c>.</summary>
    public const string Description = "attribute_id_key: the secret key of the path attribute set ids";

    /// <summary>The step's SQL; <c>{schema}</c> stands for the schema name.</summary>
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS {schema}.attribute_id_key (
            only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            key       bytea NOT NULL CHECK (length(key) = 16),
            created   timestamptz NOT NULL DEFAULT now()
        );
        INSERT INTO {schema}.attribute_id_key (key)
        VALUES (substr(sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())), 1, 16))
        ON CONFLICT DO NOTHING;
        """;

    /// <summary>Reads the key (one row, one column).</summary>
    public const string Read = "SELECT key FROM {schema}.attribute_id_key";
}
