namespace Wirekit.Tls;

/// <summary>A certificate or key file that cannot serve: the message says which file and what to do about it.</summary>
public sealed class TlsCertificateException : Exception
{
    public TlsCertificateException(string message)
        : base(message)
    {
    }

    public TlsCertificateException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
