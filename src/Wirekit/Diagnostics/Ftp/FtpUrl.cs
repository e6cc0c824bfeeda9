namespace Wirekit.Diagnostics.Ftp;

/// <summary>ftp://[user[:password]@]host[:port]/path (RFC 1738 §3.2), with anonymous login when no user is given.</summary>
public sealed record FtpUrl(string Host, int Port, string User, string Password, string Path)
{
    public const int DefaultPort = 21;

    public static bool TryParse(string text, out FtpUrl? url, out string? error)
    {
        url = null;
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "ftp")
        {
            error = $"'{text}' is not an ftp:// URL";
            return false;
        }

        var user = "anonymous";
        // RFC 1635: anonymous users give an e-mail-like password; servers with no_anon_password ignore it.
        var password = "wirekit@";
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? "" : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        // The URL's path is relative to the login directory (RFC 1738), so the leading '/' is not sent.
        var path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (path.Contains('\r') || path.Contains('\n'))
        {
            error = "the path may not contain line breaks (they would inject FTP commands)";
            return false;
        }

        url = new FtpUrl(uri.Host, uri.IsDefaultPort ? DefaultPort : uri.Port, user, password, path);
        return true;
    }

    /// <summary>The last path segment: the file name `get` saves to when no output file is given.</summary>
    public string FileName => System.IO.Path.GetFileName(Path.TrimEnd('/'));

    public override string ToString() => $"ftp://{User}@{Host}:{Port}/{Path}";
}
