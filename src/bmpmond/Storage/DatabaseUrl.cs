using Npgsql;

namespace Bmpmond.Storage;

/// <summary>
/// <c>BMPMOND_DATABASE_URL</c>: a <c>postgres://user:password@host:port/database?param=value</c>
/// URL (libpq's form) or an Npgsql connection string, turned into an Npgsql connection string.
/// Problems are described without the value: it may hold a password.
/// </summary>
internal static class DatabaseUrl
{
    public static bool TryParse(string text, out string connectionString, out string problem)
    {
        connectionString = "";
        problem = "";
        try
        {
            if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                return TryParseUrl(text, out connectionString, out problem);
            }

            connectionString = new NpgsqlConnectionStringBuilder(text).ConnectionString;
            return true;
        }
        catch (ArgumentException)
        {
            problem = "not a postgres:// URL or an Npgsql connection string";
            return false;
        }
    }

    private static bool TryParseUrl(string text, out string connectionString, out string problem)
    {
        connectionString = "";
        problem = "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            problem = "not a valid postgres:// URL";
            return false;
        }

        var builder = new NpgsqlConnectionStringBuilder();
        if (uri.Host.Length > 0)
        {
            builder.Host = uri.Host.Trim('[', ']');
        }

        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    builder["SSL Mode"] = value;
                    break;
                case "host":
                    builder.Host = value;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "connect_timeout":
                    builder["Timeout"] = value;
                    break;
                default:
                    problem = $"unsupported URL parameter '{key}' (use an Npgsql connection string for other options)";
                    return false;
            }
        }

        if (builder.Host is null)
        {
            problem = "the URL names no host";
            return false;
        }

        connectionString = builder.ConnectionString;
        return true;
    }
}
