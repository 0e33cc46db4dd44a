namespace Bmpmond.Configuration;

/// <summary>One <c>KEY=value</c> assignment of a <c>.env</c> file, with its 1-based line number.</summary>
internal readonly record struct EnvFileEntry(string Key, string Value, int Line);
