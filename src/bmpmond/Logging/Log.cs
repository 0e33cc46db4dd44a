using Microsoft.Extensions.Logging;

namespace Bmpmond.Logging;

// Every parameter is a structured field of the JSON line (the generator puts unreferenced parameters in
// the state too, named after the parameter). Messages stay short and readable: long or nested values
// (hex dumps, family counters, ports the exact wording leaves out) are fields only, hence
// SYSLIB1015 ("argument not referenced from the message") is off for this file.
#pragma warning disable SYSLIB1015

/// <summary>
/// The daemon's log events, source-generated (no reflection, no boxing before the level check).
/// Event names are snake_case and stable: operators query on them.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "listener_started", Level = LogLevel.Information,
        Message = "Listening for BMP on {Endpoint}")]
    public static partial void ListenerStarted(ILogger logger, string endpoint);

    /// <summary>The issue requires this exact wording.</summary>
    [LoggerMessage(EventId = 2, EventName = "router_connected", Level = LogLevel.Information,
        Message = "BMP peer {Address} has established a session")]
    public static partial void RouterConnected(ILogger logger, string address, int port);

    /// <summary>With how long the session lasted (<c>connected_since</c>) and what it brought: messages, bytes, routes received and processed.</summary>
    [LoggerMessage(EventId = 3, EventName = "router_disconnected", Level = LogLevel.Information,
        Message = "BMP router {Address} disconnected: {Reason}")]
    public static partial void RouterDisconnected(ILogger logger, string address, int port, string reason, long messages, long bytes, DateTime connectedSince, DateTime? lastMessage, long routesReceived, long routesProcessed);

    /// <summary>Not on the allow-list, or the session limit is reached.</summary>
    [LoggerMessage(EventId = 4, EventName = "router_refused", Level = LogLevel.Warning,
        Message = "Refused BMP connection from {Address}: {Reason}")]
    public static partial void RouterRefused(ILogger logger, string address, string reason);

    [LoggerMessage(EventId = 5, EventName = "router_initiation", Level = LogLevel.Information,
        Message = "BMP router {Address} is {SysName} ({SysDescr})")]
    public static partial void RouterInitiation(ILogger logger, string address, string? sysName, string? sysDescr);

    [LoggerMessage(EventId = 6, EventName = "router_termination", Level = LogLevel.Information,
        Message = "BMP router {Address} terminated the session: {Reason}")]
    public static partial void RouterTermination(ILogger logger, string address, string? reason);

    /// <summary>
    /// The peer's identity (type, distinguisher, address, AS, BGP ID), the BGP session's local
    /// address and ports, when it came up (the router's clock), and the negotiated capabilities:
    /// <c>families</c> and <c>add_path</c> (Adj-RIB-In families with Add-Path) as lists, and the
    /// whole <c>capabilities</c> object as the jsonl output's <c>negotiated</c>.
    /// </summary>
    [LoggerMessage(EventId = 7, EventName = "peer_up", Level = LogLevel.Information,
        Message = "BGP peer {PeerAddress} AS{PeerAs} is up on {Router}")]
    public static partial void PeerUp(ILogger logger, string router, string peerAddress, uint peerAs, string peerBgpId, string peerType, string distinguisher, string? localAddress, int localPort, int remotePort, string families, string addPath, DateTime? upSince, IJsonLogValue? capabilities);

    /// <summary>
    /// The reason code and its RFC 7854 s4.9 text, the NOTIFICATION (code, subcode, text, RFC 9003
    /// shutdown communication) or FSM event code that came with it, when the session went down and
    /// since when it had been up (both the router's clock; <c>up_since</c> null without a Peer Up).
    /// </summary>
    [LoggerMessage(EventId = 8, EventName = "peer_down", Level = LogLevel.Information,
        Message = "BGP peer {PeerAddress} AS{PeerAs} is down on {Router}: {ReasonText}")]
    public static partial void PeerDown(ILogger logger, string router, string peerAddress, uint peerAs, string peerBgpId, string peerType, string distinguisher, int reasonCode, string reasonText, int? notificationCode, int? notificationSubcode, string? notificationText, string? shutdownCommunication, int? fsmEventCode, DateTime downAt, DateTime? upSince);

    /// <summary>The framing is intact: this message is skipped and the session goes on.</summary>
    [LoggerMessage(EventId = 9, EventName = "malformed_message", Level = LogLevel.Error,
        Message = "Malformed {MessageType} message from {Router}: {Reason} in {Where} at offset {Offset}")]
    public static partial void MalformedMessage(ILogger logger, string router, string messageType, string reason, string where, int offset, long streamOffset, string firstBytesHex);

    /// <summary>
    /// The session is closed. <c>stream_offset</c> is where the error is; <c>first_bytes_hex</c> the
    /// first 256 bytes from the message header that could not be framed, at <c>message_offset</c>.
    /// </summary>
    [LoggerMessage(EventId = 10, EventName = "framing_lost", Level = LogLevel.Error,
        Message = "Lost BMP framing with {Router}, closing the session: {Reason} in {Where}")]
    public static partial void FramingLost(ILogger logger, string router, string reason, string where, long streamOffset, long messageOffset, string firstBytesHex);

    /// <summary>
    /// The first pause of a backpressure episode: the queue reached the read-ahead window
    /// (<c>window_bytes</c>, at most <c>limit_bytes</c>, the pipeline's share of
    /// <c>BMPMOND_MAX_PENDING_MB</c>). The sessions pause and resume as the writer drains, without
    /// more lines, until <see cref="BackpressureEnded"/>.
    /// </summary>
    [LoggerMessage(EventId = 11, EventName = "backpressure_started", Level = LogLevel.Warning,
        Message = "Output is behind ({PendingBytes} bytes pending, read-ahead window {WindowBytes}, limit {LimitBytes}): pausing reads from routers until it catches up")]
    public static partial void BackpressureStarted(ILogger logger, long pendingBytes, long windowBytes, long limitBytes);

    /// <summary>The episode is over: the writer emptied the queue. How long it lasted, how often the sessions paused, the most queued, the window and the drain rate it was measured from.</summary>
    [LoggerMessage(EventId = 12, EventName = "backpressure_ended", Level = LogLevel.Information,
        Message = "Output caught up after {Seconds} s ({Pauses} pauses, at most {PeakPendingBytes} bytes pending)")]
    public static partial void BackpressureEnded(ILogger logger, double seconds, int pauses, long peakPendingBytes, long windowBytes, double drainBytesPerSecond);

    /// <summary>
    /// One router's counters (since it connected) and state. <c>routes_processed</c> are the routes
    /// the output has taken; <c>router_queue_bytes</c>/<c>router_queue_batches</c> are this router's
    /// share of the queue, <c>queue_bytes</c> the whole queue and <c>queue_window_bytes</c> the
    /// read-ahead window. <c>final</c> marks the line written when the session ends.
    /// </summary>
    [LoggerMessage(EventId = 13, EventName = "route_stats", Level = LogLevel.Information,
        Message = "{Router}: {RoutesPerSecond} routes/s")]
    public static partial void RouteStats(ILogger logger, string router, long messages, long routesReceived, long routesProcessed, long routesLearned, long routesWithdrawn, double routesPerSecond,
        long routerQueueBytes, long routerQueueBatches, long queueBytes, long queueWindowBytes, IJsonLogValue families,
        string? sysName, string? sysDescr, DateTime connectedSince, DateTime? lastMessage, long bytes, bool final);

    /// <summary>One line per BMP message at DEBUG.</summary>
    [LoggerMessage(EventId = 14, EventName = "bmp_message", Level = LogLevel.Debug,
        Message = "{MessageType} from {Router}, {Length} bytes")]
    public static partial void MessageReceived(ILogger logger, string router, string messageType, long streamOffset, int length, string firstBytesHex);

    [LoggerMessage(EventId = 15, EventName = "shutdown_started", Level = LogLevel.Information,
        Message = "Shutting down on {Signal}")]
    public static partial void ShutdownStarted(ILogger logger, string signal);

    [LoggerMessage(EventId = 16, EventName = "drain_timed_out", Level = LogLevel.Warning,
        Message = "Gave up draining the queues after {Seconds} s with {PendingBytes} bytes pending")]
    public static partial void DrainTimedOut(ILogger logger, long pendingBytes, double seconds);

    [LoggerMessage(EventId = 17, EventName = "shutdown_complete", Level = LogLevel.Information,
        Message = "Stopped in {Seconds} s, exit code {ExitCode}")]
    public static partial void ShutdownComplete(ILogger logger, int exitCode, double seconds);

    [LoggerMessage(EventId = 18, EventName = "output_failed", Level = LogLevel.Error,
        Message = "Output {Output} failed")]
    public static partial void OutputFailed(ILogger logger, Exception exception, string output);

    [LoggerMessage(EventId = 19, EventName = "session_failed", Level = LogLevel.Error,
        Message = "Session with {Router} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string router);
}
