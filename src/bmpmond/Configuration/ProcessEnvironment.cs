using Microsoft.Extensions.Configuration;

namespace Bmpmond.Configuration;

/// <summary>Reads the process's <c>BMPMOND_*</c> variables for <see cref="OptionsLoader.TryLoad"/>.</summary>
internal static class ProcessEnvironment
{
    /// <summary>
    /// The <c>BMPMOND_*</c> variables of this process, keyed by variable name. They are read with
    /// the Microsoft.Extensions.Configuration environment-variables provider (prefix match in any
    /// case, as the rest of .NET configuration does), then turned back into variable names
    /// (<c>:</c> back to <c>__</c>) so that errors name what the operator actually set.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Read()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables(SettingsTable.Prefix).Build();
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.AsEnumerable(makePathsRelative: true))
        {
            // Section nodes ("A" for "A:B") come back with a null value: only leaves are variables.
            if (value is not null)
            {
                variables[SettingsTable.Prefix + key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        return variables;
    }
}
