namespace Bmpmon.Core.Capture;

/// <summary>Both directions of one TCP connection, numbered as Wireshark's <c>tcp.stream</c>.</summary>
internal sealed class TcpConversation
{
    private TcpDirection? _first;
    private TcpDirection? _second;

    public TcpConversation(int number) => Number = number;

    public int Number { get; }

    /// <summary>The directions seen, the first-seen first.</summary>
    public IEnumerable<TcpDirection> Directions
    {
        get
        {
            if (_first is not null)
            {
                yield return _first;
            }

            if (_second is not null)
            {
                yield return _second;
            }
        }
    }

    /// <summary>The direction from <paramref name="source"/> to <paramref name="destination"/>, created on first use.</summary>
    public TcpDirection Direction(TcpEndpoint source, TcpEndpoint destination)
    {
        if (_first is null)
        {
            return _first = new TcpDirection(source, destination);
        }

        if (_first.Source == source)
        {
            return _first;
        }

        return _second ??= new TcpDirection(source, destination);
    }
}
