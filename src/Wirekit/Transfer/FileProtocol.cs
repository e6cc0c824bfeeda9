namespace Wirekit.Transfer;

/// <summary>Sizes and bounds of the file protocol, in one place so the codec, server and client agree.</summary>
internal static class FileProtocol
{
    /// <summary>MYCMD { int32 nCode; int32 nSize; }.</summary>
    public const int HeaderSize = 8;

    /// <summary>Largest request payload the server accepts; beyond it the peer is lying or broken (issue 4).</summary>
    public const int MaxRequestPayload = 64 * 1024;

    /// <summary>Largest reply payload a client accepts, other than the two list replies.</summary>
    public const int MaxReplyPayload = 64 * 1024;

    /// <summary>Largest list reply either side produces or accepts: ~63,000 classic entries.</summary>
    public const int MaxListPayload = 16 * 1024 * 1024;

    /// <summary>char szFileName[256] in FILEINFO, NUL included.</summary>
    public const int ClassicNameField = 256;

    /// <summary>sizeof(FILEINFO): uint32 index + char[256] + uint32 size.</summary>
    public const int FileInfoSize = 4 + ClassicNameField + 4;

    /// <summary>char szDesc[256] in ERRORDATA.</summary>
    public const int ErrorDescField = 256;

    /// <summary>sizeof(ERRORDATA): int32 code + char[256].</summary>
    public const int ErrorDataSize = 4 + ErrorDescField;

    /// <summary>Longest modern file name, in UTF-8 bytes. Linux caps a component at 255; the slack is for other systems.</summary>
    public const int MaxNameBytes = 1024;

    /// <summary>Longest token, in UTF-8 bytes.</summary>
    public const int MaxTokenBytes = 1024;

    /// <summary>XXH128 digest length.</summary>
    public const int HashSize = 16;

    /// <summary>FILEREPLY: fileSize, mtime, hash, offset, length.</summary>
    public const int FileReplySize = 8 + 8 + HashSize + 8 + 8;

    /// <summary>GET before the name: offset, length, nameLength.</summary>
    public const int GetFixedSize = 8 + 8 + 2;

    /// <summary>ENTRY before the name: size, mtime, hash, nameLength.</summary>
    public const int EntryFixedSize = 8 + 8 + HashSize + 2;

    /// <summary>GET.length meaning "to the end of the file".</summary>
    public const ulong ToEnd = ulong.MaxValue;

    /// <summary>Largest payload a reader should accept for a given code, as the client sees replies.</summary>
    public static int MaxReplyPayloadFor(int code)
        => code is (int)FileCommandCode.SendFileList or (int)FileCommandCode.FileList ? MaxListPayload : MaxReplyPayload;
}
