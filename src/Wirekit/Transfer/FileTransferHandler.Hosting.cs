using Wirekit.Engines;
using Wirekit.Metrics;

namespace Wirekit.Transfer;

/// <summary>What the file server needs of its host and costs it.</summary>
public sealed partial class FileTransferHandler
{
    /// <summary>A handler waits on its socket (zero-copy sends, the next request): it needs a thread or task per session.</summary>
    public const EngineFeatures EngineRequirements = EngineFeatures.FlowPerSession;

    EngineFeatures IServerService.Requires => EngineRequirements;

    /// <summary>A session holds its socket and, while it sends, the file.</summary>
    int IServerService.DescriptorsPerSession => 2;

    /// <summary>A client is established by its first complete request header (<see cref="ServerOptions.HandshakeTimeout"/>).</summary>
    bool IServerService.MarksEstablished => true;

    /// <summary>Serves TLS too: replies through the stream, files through pooled buffers instead of sendfile.</summary>
    bool IConnectionHandler.CarriesTls => true;

    void IServerService.OnServerStarted(IServer server)
    {
        _metrics = FileMetrics.For(server);
        _server = server;
    }
}
