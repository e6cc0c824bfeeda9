using Wirekit.Engines;

namespace Wirekit.Transfer;

/// <summary>What the file server costs its host: a session holds its socket and, while it sends, the file.</summary>
public sealed partial class FileTransferHandler
{
    int IServerService.DescriptorsPerSession => 2;
}
