using Bmpmon.Core.Decoding;
using Bmpmond.Pipeline;
using Bmpmond.Storage;

namespace Bmpmon.Tests.Storage;

/// <summary>A router session fed message by message: each <see cref="Next"/> is one batch.</summary>
internal sealed class TestSession(string router) : IDisposable
{
    private readonly PostgresSessionOutput _output = new(router, StorageTestSupport.TestAttributeIdKey);
    private readonly BmpStreamDecoder _decoder = new();

    public PostgresRouterState State { get; private set; } = null!;

    /// <summary>The records <paramref name="messages"/> made; none for messages that store nothing (statistics reports).</summary>
    public byte[] Next(byte[] messages)
    {
        var sink = (ISessionOutput)_output;
        _decoder.Feed(messages, ref sink);
        if (_output.TakeBatch() is not { } batch)
        {
            return [];
        }

        State = (PostgresRouterState)batch.Payload!;
        var bytes = batch.Bytes.ToArray();
        batch.Release();
        return bytes;
    }

    public void Dispose()
    {
        _output.Close();
        _decoder.Dispose();
    }
}
