using System.Collections.Concurrent;
using Bmpmon.Core.Wire.Bmp;
using Bmpmon.Core.Wire.Iana;

namespace Bmpmon.Tests.Decoding;

/// <summary>One BMP stream of the fixtures, framed into its messages (see <see cref="FixtureStreams"/>).</summary>
internal sealed class FixtureStream
{
    private static readonly ConcurrentDictionary<string, Lazy<List<FixtureStream>>> Cache = new();

    private readonly int[] _stateMessagesBefore;
    private readonly ConcurrentDictionary<int, byte[]> _context = new();

    private FixtureStream(string name, List<(long Offset, byte[] Message)> messages)
    {
        Name = name;
        Messages = messages;
        _stateMessagesBefore = new int[messages.Count + 1];
        for (var i = 0; i < messages.Count; i++)
        {
            _stateMessagesBefore[i + 1] = _stateMessagesBefore[i] + (IsStateMessage(messages[i].Message) ? 1 : 0);
        }
    }

    public string Name { get; }

    public List<(long Offset, byte[] Message)> Messages { get; }

    /// <summary>Every stream of every capture with an oracle (read once per test run; treat as read-only).</summary>
    public static List<FixtureStream> All(string root) =>
        Cache.GetOrAdd(root, r => new Lazy<List<FixtureStream>>(() => [.. FixtureStreams.FromCaptures(r).Select(s => new FixtureStream(s.Name, FixtureStreams.Messages(s.Payload)))])).Value;

    /// <summary>
    /// The messages before <paramref name="index"/> that build session state (Peer Up, Peer Down),
    /// in order: replayed before a message, they give the session decoder the peer state it had there
    /// (the other message types leave it alone).
    /// </summary>
    public byte[] ContextBefore(int index) =>
        _context.GetOrAdd(_stateMessagesBefore[index], count =>
            [.. Messages.Select(m => m.Message).Where(IsStateMessage).Take(count).SelectMany(m => m)]);

    /// <summary>How many messages <see cref="ContextBefore"/> holds.</summary>
    public int ContextCount(int index) => _stateMessagesBefore[index];

    private static bool IsStateMessage(byte[] m) =>
        m.Length > BmpCommonHeader.Size && (BmpMessageType)m[5] is BmpMessageType.PeerUpNotification or BmpMessageType.PeerDownNotification;
}
