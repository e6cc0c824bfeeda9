namespace Wirekit.Transfer;

/// <summary>Values of <c>MYCMD.nCode</c>. Classic codes are the seed's AppProtocol.h; modern ones are Wirekit's (docs/file-protocol.md).</summary>
public enum FileCommandCode
{
    /// <summary>S→C: ERRORDATA.</summary>
    Error = 50,

    /// <summary>C→S classic: list request, no payload.</summary>
    GetList = 100,

    /// <summary>C→S classic: GETFILE { uint32 index }.</summary>
    GetFile = 101,

    /// <summary>C→S modern: the token, UTF-8.</summary>
    Auth = 110,

    /// <summary>C→S modern: list request, no payload.</summary>
    List = 111,

    /// <summary>C→S modern: GET { offset, length, name }.</summary>
    Get = 112,

    /// <summary>S→C classic: SEND_FILELIST + FILEINFO × count.</summary>
    SendFileList = 200,

    /// <summary>S→C classic: FILEINFO, then the file's bytes.</summary>
    BeginFile = 201,

    /// <summary>S→C modern: the token was accepted.</summary>
    AuthOk = 210,

    /// <summary>S→C modern: count + ENTRY × count.</summary>
    FileList = 211,

    /// <summary>S→C modern: FILEREPLY, then the requested range's bytes.</summary>
    File = 212,
}

/// <summary>Values of <c>ERRORDATA.nErrorCode</c>.</summary>
public enum FileErrorCode
{
    UnknownCommand = 1,
    BadRequest = 2,
    NotFound = 3,
    Refused = 4,

    /// <summary>The only error after which the server closes the connection: the frame cannot be skipped safely.</summary>
    TooLarge = 5,
    Unauthorized = 6,
    ClassicDisabled = 7,
    IoError = 8,

    /// <summary>The server is out of file descriptors (EMFILE/ENFILE) for now: try again shortly. Connection kept.</summary>
    Busy = 9,
}
