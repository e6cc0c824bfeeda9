namespace Wirekit.Transfer;

/// <summary>
/// A file opened for one reply, with what that reply promised about it: its size and modification time. The file
/// may change while it is being sent (a log being appended, a copy in progress, an editor saving in place); the
/// sender checks <see cref="HasChanged"/> during and after the send so that bytes of two versions never pass as one.
/// </summary>
internal sealed class ServedFile : IAsyncDisposable
{
    private ServedFile(JailedFile entry, FileStream stream)
    {
        Entry = entry;
        Stream = stream;
    }

    /// <summary>The file as the jail saw it, before it was opened: the size and time the reply carries.</summary>
    public JailedFile Entry { get; }

    public FileStream Stream { get; }

    /// <summary>Opens <paramref name="entry"/> for reading; null with the reason when it cannot be read.</summary>
    public static ServedFile? TryOpen(JailedFile entry, out IOException? failure)
    {
        failure = null;
        try
        {
            var stream = new FileStream(entry.RealPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
            return new ServedFile(entry, stream);
        }
        catch (IOException e)
        {
            failure = e;
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            failure = new IOException(e.Message, e);
            return null;
        }
    }

    /// <summary>
    /// True when the open file's size or modification time (fstat, so a file renamed over the path counts too)
    /// differs from the promise. Safe from any thread, also after dispose (then false).
    /// </summary>
    public bool HasChanged()
    {
        try
        {
            var handle = Stream.SafeFileHandle;
            return RandomAccess.GetLength(handle) != Entry.Size || File.GetLastWriteTimeUtc(handle) != Entry.LastWriteUtc;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
