namespace Wirekit.Diagnostics.Ftp;

/// <summary>The server refused a command, or spoke something that is not FTP; the message is ready for the user.</summary>
public sealed class FtpException(string message, FtpReply? reply = null) : Exception(message)
{
    public FtpReply? Reply { get; } = reply;
}
