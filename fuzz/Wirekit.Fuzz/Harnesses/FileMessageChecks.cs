using System.Buffers;
using Wirekit.Transfer;

namespace Wirekit.Fuzz.Harnesses;

/// <summary>
/// Each modern and classic decoder run on a frame's payload, as the server or client would for that code. A decoder
/// may refuse; what it accepts must be bounded (a list never sized past what its payload can hold) and, where an
/// encoder exists, encode back to the very bytes it came from (modern names are strict UTF-8, so exactly; classic names
/// are NUL-terminated C strings, so the decoded values survive a second round).
/// </summary>
internal static class FileMessageChecks
{
    public static void Check(FileFrame frame, ReadOnlySpan<byte> wire)
    {
        var payload = frame.Payload;
        switch ((FileCommandCode)frame.Code)
        {
            case FileCommandCode.Get:
                if (ModernMessages.TryParseGet(payload, out var name, out var offset, out var length))
                {
                    Invariant.SameBytes(wire, ModernMessages.FormatGet(name, offset, length), "GET re-encoded");
                }

                break;
            case FileCommandCode.File:
                if (ModernMessages.TryParseFileReply(payload, out var reply))
                {
                    Invariant.SameBytes(wire, ModernMessages.FormatFileReply(reply), "FILEREPLY re-encoded");
                }

                break;
            case FileCommandCode.FileList:
                if (ModernMessages.ParseFileList(payload) is List<FileEntry> entries)
                {
                    Invariant.Holds(entries.Capacity <= payload.Length / (FileProtocol.EntryFixedSize + 1), "a list is never sized past what its payload holds");
                    var again = ModernMessages.FormatFileList(entries, out var written);
                    Invariant.Equal(entries.Count, written, "entries re-encoded");
                    Invariant.SameBytes(wire, again, "FILELIST re-encoded");
                }

                break;
            case FileCommandCode.SendFileList:
                CheckClassicList(payload);
                break;
            case FileCommandCode.BeginFile when payload.Length == FileProtocol.FileInfoSize:
                var (index, fileName, size) = ClassicMessages.ReadFileInfo(payload.ToArray());
                if (ClassicMessages.FitsNameField(fileName))
                {
                    var again = ClassicMessages.FormatBeginFile(index, fileName, size).AsSpan(FileProtocol.HeaderSize);
                    Invariant.Equal((index, fileName, size), ClassicMessages.ReadFileInfo(again), "FILEINFO re-encoded and read again");
                }

                break;
            case FileCommandCode.GetFile:
                if (ClassicMessages.TryParseGetFile(payload, out var wanted))
                {
                    Invariant.SameBytes(wire, ClassicMessages.FormatGetFile(wanted), "GETFILE re-encoded");
                }

                break;
            case FileCommandCode.Error:
                var (code, description) = ClassicMessages.ParseError(payload);
                Invariant.Holds(description.Length <= FileProtocol.ErrorDescField, "an error's description is bounded by its field");
                var error = ClassicMessages.FormatError(code, description).AsSpan(FileProtocol.HeaderSize).ToArray();
                Invariant.Equal(code, ClassicMessages.ParseError(new ReadOnlySequence<byte>(error)).Code, "ERRORDATA code re-encoded");
                break;
        }
    }

    private static void CheckClassicList(ReadOnlySequence<byte> payload)
    {
        if (ClassicMessages.ParseFileList(payload) is not List<(uint Index, string Name, uint Size)> files)
        {
            return;
        }

        Invariant.Holds(files.Capacity <= payload.Length / FileProtocol.FileInfoSize, "a classic list is never sized past what its payload holds");
        Invariant.Equal(4 + ((long)files.Count * FileProtocol.FileInfoSize), payload.Length, "count agrees with the length");
        var again = ClassicMessages.FormatFileList(files.Select(f => (f.Name, f.Size)).ToList());
        var reread = ClassicMessages.ParseFileList(new ReadOnlySequence<byte>(again, FileProtocol.HeaderSize, again.Length - FileProtocol.HeaderSize));
        Invariant.Holds(reread is not null && reread.Count == files.Count, "a classic list re-encoded parses again");
        for (var i = 0; i < files.Count; i++)
        {
            Invariant.Equal(files[i].Size, reread![i].Size, $"classic entry {i} size");
            if (ClassicMessages.FitsNameField(files[i].Name))
            {
                Invariant.Equal(files[i].Name, reread[i].Name, $"classic entry {i} name");
            }
        }
    }
}
