using System.Buffers.Binary;

namespace Wirekit.Chat.Backplane;

/// <summary>What one message on the channel says (docs/chat-protocol.md, "The envelope").</summary>
internal enum BackplaneKind : byte
{
    Hello = 1,
    Heartbeat = 2,
    Roster = 3,
    NodeLost = 4,
    Claim = 5,
    Joined = 6,
    Rename = 7,
    Say = 8,
    Act = 9,
    Whisper = 10,
    Left = 11,
    Bye = 12,
}

/// <summary>Why a message from the channel was dropped; the log line and the drop counter say it.</summary>
internal enum EnvelopeProblem
{
    None,
    TooShort,
    TooLong,
    Magic,
    Version,
    Kind,
    NodeName,
    Name,
    Text,
    Trailing,
}

/// <summary>
/// One event on the channel, decoded: spans into the received bytes, valid while they are. Versioned and bounded
/// (every length is checked against its bound and against what was received before it is used).
/// </summary>
internal readonly ref struct BackplaneEnvelope
{
    public const byte Version = 1;
    public const int MaxNodeName = 32;
    public const int MaxName = 96;
    public const int MaxText = ushort.MaxValue;
    public const int HeaderBytes = 28;

    /// <summary>Header, three length fields and the largest of each field: 65,700 bytes.</summary>
    public const int MaxBytes = HeaderBytes + 1 + MaxNodeName + 1 + MaxName + 2 + MaxText;

    private static ReadOnlySpan<byte> Magic => "WK"u8;

    public BackplaneEnvelope(BackplaneKind kind, long node, long sequence, long member, ReadOnlySpan<byte> nodeName, ReadOnlySpan<byte> name, ReadOnlySpan<byte> text)
    {
        Kind = kind;
        Node = node;
        Sequence = sequence;
        Member = member;
        NodeName = nodeName;
        Name = name;
        Text = text;
    }

    public BackplaneKind Kind { get; }

    public long Node { get; }

    public long Sequence { get; }

    public long Member { get; }

    public ReadOnlySpan<byte> NodeName { get; }

    public ReadOnlySpan<byte> Name { get; }

    public ReadOnlySpan<byte> Text { get; }

    /// <summary>The bytes <see cref="Write"/> needs.</summary>
    public int Length => HeaderBytes + 1 + NodeName.Length + 1 + Name.Length + 2 + Text.Length;

    /// <summary>Writes the envelope into <paramref name="destination"/> (at least <see cref="Length"/> bytes); returns the bytes written.</summary>
    public int Write(Span<byte> destination)
    {
        if (NodeName.Length is 0 or > MaxNodeName || Name.Length > MaxName || Text.Length > MaxText)
        {
            throw new ArgumentException("an envelope field is out of its bounds");
        }

        Magic.CopyTo(destination);
        destination[2] = Version;
        destination[3] = (byte)Kind;
        BinaryPrimitives.WriteInt64BigEndian(destination[4..], Node);
        BinaryPrimitives.WriteInt64BigEndian(destination[12..], Sequence);
        BinaryPrimitives.WriteInt64BigEndian(destination[20..], Member);
        var at = HeaderBytes;
        destination[at++] = (byte)NodeName.Length;
        NodeName.CopyTo(destination[at..]);
        at += NodeName.Length;
        destination[at++] = (byte)Name.Length;
        Name.CopyTo(destination[at..]);
        at += Name.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[at..], (ushort)Text.Length);
        at += 2;
        Text.CopyTo(destination[at..]);
        return at + Text.Length;
    }

    /// <summary>Decodes one whole message; <see cref="EnvelopeProblem.None"/> when it is a valid version-1 envelope.</summary>
    public static EnvelopeProblem TryRead(ReadOnlySpan<byte> message, out BackplaneEnvelope envelope)
    {
        envelope = default;
        if (message.Length > MaxBytes)
        {
            return EnvelopeProblem.TooLong;
        }

        if (message.Length < HeaderBytes + 4)
        {
            return EnvelopeProblem.TooShort;
        }

        if (!message.StartsWith(Magic))
        {
            return EnvelopeProblem.Magic;
        }

        if (message[2] != Version)
        {
            return EnvelopeProblem.Version;
        }

        var kind = (BackplaneKind)message[3];
        if (kind is < BackplaneKind.Hello or > BackplaneKind.Bye)
        {
            return EnvelopeProblem.Kind;
        }

        var at = HeaderBytes;
        if (!TryField(message, ref at, 1, 1, MaxNodeName, out var nodeNameAt, out var nodeNameLength))
        {
            return EnvelopeProblem.NodeName;
        }

        if (!TryField(message, ref at, 1, 0, MaxName, out var nameAt, out var nameLength))
        {
            return EnvelopeProblem.Name;
        }

        if (!TryField(message, ref at, 2, 0, MaxText, out var textAt, out var textLength))
        {
            return EnvelopeProblem.Text;
        }

        if (at != message.Length)
        {
            return EnvelopeProblem.Trailing;
        }

        envelope = new BackplaneEnvelope(
            kind,
            BinaryPrimitives.ReadInt64BigEndian(message[4..]),
            BinaryPrimitives.ReadInt64BigEndian(message[12..]),
            BinaryPrimitives.ReadInt64BigEndian(message[20..]),
            message.Slice(nodeNameAt, nodeNameLength),
            message.Slice(nameAt, nameLength),
            message.Slice(textAt, textLength));
        return EnvelopeProblem.None;
    }

    /// <summary>A length prefix of <paramref name="prefixBytes"/> bytes at <paramref name="at"/>, bounded to [min, max] and to what is left; moves past the field.</summary>
    private static bool TryField(ReadOnlySpan<byte> message, ref int at, int prefixBytes, int min, int max, out int start, out int length)
    {
        start = at + prefixBytes;
        length = 0;
        if (message.Length < start)
        {
            return false;
        }

        length = prefixBytes == 1 ? message[at] : BinaryPrimitives.ReadUInt16BigEndian(message[at..]);
        if (length < min || length > max || length > message.Length - start)
        {
            return false;
        }

        at = start + length;
        return true;
    }
}
