using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Bmpmond.Configuration;

/// <summary>Parsers for the numeric and named settings; each reports a problem phrase for the error line.</summary>
internal static class ValueParsers
{
    /// <summary>The longest <c>BMPMOND_STATS_INTERVAL</c>: a stats line less than daily is no longer a stats line.</summary>
    public const int MaxStatsIntervalSeconds = 86_400;

    /// <summary>A decimal integer in [<paramref name="min"/>, <paramref name="max"/>] (no sign, no separators).</summary>
    public static bool TryParseInt(string text, int min, int max, out int value, out string problem)
    {
        problem = "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        problem = $"{ValueText.Quote(text)} is not an integer from {min} to {max}";
        return false;
    }

    /// <summary>A positive whole number of seconds, optionally with an <c>s</c> or <c>m</c> suffix (<c>10</c>, <c>30s</c>, <c>1m</c>).</summary>
    public static bool TryParseInterval(string text, out TimeSpan interval, out string problem)
    {
        interval = default;
        problem = $"{ValueText.Quote(text)} is not a positive number of seconds (e.g. 10, 30s, 1m)";
        ReadOnlySpan<char> digits = text;
        int unit = 1;
        if (digits.EndsWith("s", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[..^1];
        }
        else if (digits.EndsWith("m", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[..^1];
            unit = 60;
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count == 0)
        {
            return false;
        }

        if (count > MaxStatsIntervalSeconds / unit)
        {
            problem = $"{ValueText.Quote(text)} is longer than one day";
            return false;
        }

        interval = TimeSpan.FromSeconds(count * unit);
        return true;
    }

    /// <summary>A number in [0, 1] written with a dot (<c>0</c>, <c>0.25</c>, <c>1</c>).</summary>
    public static bool TryParseRate(string text, out double rate, out string problem)
    {
        problem = "";
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out rate)
            && rate >= 0 && rate <= 1)
        {
            rate += 0.0; // -0 reads as 0
            return true;
        }

        problem = $"{ValueText.Quote(text)} is not a number from 0 to 1 (e.g. 0, 0.1, 1)";
        return false;
    }

    /// <summary>INFO (default) or DEBUG, also WARNING and ERROR; any case.</summary>
    public static bool TryParseLogLevel(string text, out LogLevel level, out string problem)
    {
        problem = "";
        level = text.ToUpperInvariant() switch
        {
            "DEBUG" => LogLevel.Debug,
            "INFO" => LogLevel.Information,
            "WARNING" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            _ => LogLevel.None,
        };
        if (level != LogLevel.None)
        {
            return true;
        }

        problem = $"{ValueText.Quote(text)} is not a log level (INFO, DEBUG, WARNING or ERROR)";
        return false;
    }

    /// <summary>
    /// A Sentry environment name: what Sentry itself accepts (at most 64 characters, no slash, no
    /// white space or control characters).
    /// </summary>
    public static bool TryParseSentryEnvironment(string text, out string name, out string problem)
    {
        name = text;
        problem = "";
        bool ok = text.Length is >= 1 and <= 64;
        foreach (char c in text)
        {
            ok &= c != '/' && !char.IsWhiteSpace(c) && !char.IsControl(c);
        }

        if (!ok)
        {
            problem = $"{ValueText.Quote(text)} is not a Sentry environment name (1 to 64 characters, no slash or white space)";
        }

        return ok;
    }

    /// <summary>
    /// A schema name for <c>BMPMOND_DB_SCHEMA</c>: an unquoted lower-case PostgreSQL identifier
    /// (<see cref="Bmpmon.Core.Storage.SchemaMigrations.IsValidSchemaName"/>), because it is spliced
    /// into SQL text and must never need quoting or change meaning.
    /// </summary>
    public static bool TryParseSchemaName(string text, out string name, out string problem)
    {
        name = text;
        problem = "";
        if (Bmpmon.Core.Storage.SchemaMigrations.IsValidSchemaName(text))
        {
            return true;
        }

        problem = $"{ValueText.Quote(text)} is not a schema name (a-z, 0-9 and _, starting with a letter or _, at most 63 characters)";
        return false;
    }
}
