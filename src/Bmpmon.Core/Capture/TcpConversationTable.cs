namespace Bmpmon.Core.Capture;

/// <summary>
/// Sorts decoded TCP segments into conversations and directions, in order of first appearance.
/// </summary>
internal sealed class TcpConversationTable
{
    private readonly Dictionary<(TcpEndpoint Low, TcpEndpoint High), TcpConversation> _current = [];
    private readonly List<TcpConversation> _all = [];

    /// <summary>Every conversation seen, by <see cref="TcpConversation.Number"/>.</summary>
    public IReadOnlyList<TcpConversation> Conversations => _all;

    /// <summary>Decodes a link-layer frame whose bytes start at <paramref name="frameFileOffset"/> in the file; non-TCP frames are ignored.</summary>
    public void OnFrame(LinkType linkType, ReadOnlySpan<byte> frame, int frameFileOffset)
    {
        if (LinkLayer.TryFindIpHeader(linkType, frame, out int ipOffset)
            && InternetLayer.TryDecodeTcp(frame, ipOffset, frameFileOffset, out var segment))
        {
            Add(segment);
        }
    }

    public void Add(in TcpSegment segment)
    {
        var key = Compare(segment.Source, segment.Destination) <= 0
            ? (segment.Source, segment.Destination)
            : (segment.Destination, segment.Source);
        if (!_current.TryGetValue(key, out var conversation))
        {
            conversation = Open(key);
        }

        var direction = conversation.Direction(segment.Source, segment.Destination);

        // A SYN with a new initial sequence number on known ports is a new connection reusing them
        // (Wireshark's rule, so the numbering matches tcp.stream); a retransmitted SYN is not.
        if (segment.IsOpeningSyn && direction.HasBaseSequence && direction.BaseSequence != segment.SequenceNumber)
        {
            conversation = Open(key);
            direction = conversation.Direction(segment.Source, segment.Destination);
        }

        direction.Add(segment);
    }

    private TcpConversation Open((TcpEndpoint, TcpEndpoint) key)
    {
        var conversation = new TcpConversation(_all.Count);
        _all.Add(conversation);
        _current[key] = conversation;
        return conversation;
    }

    private static int Compare(TcpEndpoint a, TcpEndpoint b)
    {
        int byFamily = a.IsIPv6.CompareTo(b.IsIPv6);
        if (byFamily != 0)
        {
            return byFamily;
        }

        int byAddress = a.Address.CompareTo(b.Address);
        return byAddress != 0 ? byAddress : a.Port.CompareTo(b.Port);
    }
}
