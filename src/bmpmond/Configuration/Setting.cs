namespace Bmpmond.Configuration;

/// <summary>
/// One <c>BMPMOND_*</c> setting as documented: its full variable name, its default as it would be
/// written in the environment (null: unset; empty: empty), and what it means.
/// </summary>
internal sealed record Setting(string Name, string? Default, string Meaning)
{
    /// <summary>The default as shown in the README table.</summary>
    public string DefaultText => Default switch
    {
        null => "unset",
        "" => "empty",
        _ => $"`{Default}`",
    };

    /// <summary>The setting's row of the README's configuration table.</summary>
    public string MarkdownRow => $"| `{Name}` | {DefaultText} | {Meaning} |";
}
