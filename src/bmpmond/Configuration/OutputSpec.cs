namespace Bmpmond.Configuration;

/// <summary>
/// The parsed <c>BMPMOND_OUTPUT</c>: a kind and, for <see cref="OutputKind.Jsonl"/>, a path where
/// <c>-</c> means stdout. A record of kind + argument so the PostgreSQL writer can add its kind
/// later without changing the shape.
/// </summary>
internal sealed record OutputSpec(OutputKind Kind, string? Path)
{
    /// <summary>The path that means standard output.</summary>
    public const string StdoutPath = "-";

    /// <summary>The default: JSON lines on stdout.</summary>
    public static OutputSpec JsonlStdout { get; } = new(OutputKind.Jsonl, StdoutPath);

    /// <summary>Decode and count only.</summary>
    public static OutputSpec None { get; } = new(OutputKind.Null, null);

    /// <summary>Whether this output writes to standard output.</summary>
    public bool IsStdout => Kind == OutputKind.Jsonl && Path == StdoutPath;

    /// <summary>The setting's text form (<c>jsonl:PATH</c> or <c>null</c>).</summary>
    public override string ToString() => Kind switch
    {
        OutputKind.Jsonl => $"jsonl:{Path}",
        OutputKind.Postgres => "postgres",
        _ => "null",
    };

    /// <summary>PostgreSQL at <c>BMPMOND_DATABASE_URL</c>.</summary>
    public static OutputSpec Postgres { get; } = new(OutputKind.Postgres, null);

    /// <summary>
    /// Parses <c>jsonl:PATH</c> (<c>jsonl:-</c> for stdout) or <c>null</c>; the kind is
    /// case-insensitive. An unknown kind is reported by its name only: a future
    /// <c>postgres://user:password@...</c> typed here must not end up in a log.
    /// </summary>
    public static bool TryParse(string text, out OutputSpec spec, out string problem)
    {
        spec = JsonlStdout;
        problem = "";
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? text : text[..colon];
        if (kind.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            if (colon >= 0)
            {
                problem = "the null output takes no argument (write just null)";
                return false;
            }

            spec = None;
            return true;
        }

        if (kind.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (colon >= 0)
            {
                // Never echo the rest: it may be a URL with a password.
                problem = "the postgres output takes no argument (write just postgres and set BMPMOND_DATABASE_URL)";
                return false;
            }

            spec = Postgres;
            return true;
        }

        if (kind.Equals("jsonl", StringComparison.OrdinalIgnoreCase))
        {
            string path = colon < 0 ? "" : text[(colon + 1)..];
            if (path.Length == 0)
            {
                problem = "jsonl needs a path (jsonl:PATH, or jsonl:- for stdout)";
                return false;
            }

            spec = path == StdoutPath ? JsonlStdout : new OutputSpec(OutputKind.Jsonl, path);
            return true;
        }

        problem = $"unknown output kind {ValueText.Quote(kind)} (expected jsonl:PATH, jsonl:-, postgres or null)";
        return false;
    }
}
