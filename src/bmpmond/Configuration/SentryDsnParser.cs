namespace Bmpmond.Configuration;

/// <summary>
/// Checks the shape of a Sentry DSN (<c>https://PUBLIC_KEY@HOST/PROJECT_ID</c>, as Sentry's own
/// SDKs parse it) so a typo fails at start instead of silently sending nothing. Problems never
/// quote the value: the DSN is a credential.
/// </summary>
internal static class SentryDsnParser
{
    private const string Expected = "(expected https://PUBLIC_KEY@HOST/PROJECT_ID)";

    /// <summary>Accepts an absolute http/https URI with a public key as user info and a numeric project id as the last path segment.</summary>
    public static bool TryParse(string text, out string dsn, out string problem)
    {
        dsn = text;
        problem = "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Host.Length == 0)
        {
            problem = $"malformed: not an absolute http(s) URI {Expected}";
            return false;
        }

        // User info is "public_key" or the legacy "public_key:secret_key".
        string userInfo = uri.UserInfo;
        int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if ((colon < 0 ? userInfo : userInfo[..colon]).Length == 0)
        {
            problem = $"malformed: no public key before the host {Expected}";
            return false;
        }

        string path = uri.AbsolutePath.TrimEnd('/');
        string projectId = path[(path.LastIndexOf('/') + 1)..];
        if (projectId.Length == 0 || projectId.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            problem = $"malformed: no numeric project id at the end of the path {Expected}";
            return false;
        }

        return true;
    }
}
