using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Bmpmon.Tests.Daemon;

namespace Bmpmon.Tests.Telemetry;

/// <summary>A request the endpoint received: method, path, the auth header and the decoded envelope (null if it was not one).</summary>
internal sealed record SentryRequest(string Method, string Path, string? Auth, string? ContentEncoding, SentryEnvelope? Envelope);

/// <summary>
/// A Sentry server small enough for a test: an HTTP listener on 127.0.0.1 that takes
/// <c>POST /api/{project}/envelope/</c> (and the older <c>/store/</c>, a bare event), undoes the
/// SDK's gzip (or deflate, brotli), parses the envelope and records every request, whatever its
/// path, so a test can also assert that nothing was sent.
/// </summary>
internal sealed class SentryEndpoint : IDisposable
{
    private readonly HttpListener _listener;
    private readonly List<SentryRequest> _requests = [];
    private readonly List<string> _failures = [];
    private readonly Task _serving;

    private SentryEndpoint(HttpListener listener, int port)
    {
        _listener = listener;
        Port = port;
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<SentryRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The items of type <paramref name="type"/> (event, transaction) of every envelope so far.</summary>
    public List<SentryEnvelopeItem> Items(string type) =>
        Requests.Where(r => r.Envelope is not null).SelectMany(r => r.Envelope!.Items).Where(i => i.Type == type).ToList();

    /// <summary>The event payloads so far.</summary>
    public List<JsonElement> Events() => Items("event").Select(i => i.Json).ToList();

    /// <summary>Starts listening on a free port of 127.0.0.1 (retrying if another test took the port first).</summary>
    public static SentryEndpoint Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = TestDaemon.FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            try
            {
                listener.Start();
                return new SentryEndpoint(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>The DSN a Sentry project on this endpoint would have.</summary>
    public string Dsn(string publicKey, int project) =>
        string.Create(CultureInfo.InvariantCulture, $"http://{publicKey}@127.0.0.1:{Port}/{project}");

    /// <summary>Waits until <paramref name="condition"/> holds for the events received, or the timeout; returns the events.</summary>
    public async Task<List<JsonElement>> WaitForEventsAsync(Func<List<JsonElement>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Events()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        AssertNoFailures();
        return Events();
    }

    /// <summary>Fails the test if a request could not be read or parsed.</summary>
    public void AssertNoFailures()
    {
        lock (_failures)
        {
            Assert.True(_failures.Count == 0, string.Join("\n", _failures));
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Record(context.Request);
                Respond(context.Response, 200, $"{{\"id\":\"{Guid.NewGuid():N}\"}}");
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or IOException or ArgumentException or KeyNotFoundException)
            {
                lock (_failures)
                {
                    _failures.Add($"{context.Request.HttpMethod} {context.Request.Url?.AbsolutePath}: {e.GetType().Name}: {e.Message}");
                }

                Respond(context.Response, 400, "{}");
            }
        }
    }

    private void Record(HttpListenerRequest request)
    {
        var path = request.Url!.AbsolutePath;
        var encoding = request.Headers["Content-Encoding"];
        var body = ReadBody(request.InputStream, encoding);
        var auth = request.Headers["X-Sentry-Auth"];
        SentryEnvelope? envelope = null;
        if (request.HttpMethod == "POST" && path.EndsWith("/envelope/", StringComparison.Ordinal))
        {
            envelope = SentryEnvelope.Parse(body);
        }
        else if (request.HttpMethod == "POST" && path.EndsWith("/store/", StringComparison.Ordinal))
        {
            // The store endpoint takes one event, bare: the same as an envelope of one event item.
            var item = new SentryEnvelopeItem("event", JsonDocument.Parse("{\"type\":\"event\"}").RootElement.Clone(), body);
            envelope = new SentryEnvelope(JsonDocument.Parse("{}").RootElement.Clone(), [item]);
        }

        lock (_requests)
        {
            _requests.Add(new SentryRequest(request.HttpMethod, path, auth, encoding, envelope));
        }
    }

    private static byte[] ReadBody(Stream body, string? contentEncoding)
    {
        using Stream decoded = contentEncoding?.Trim().ToLowerInvariant() switch
        {
            null or "" or "identity" => body,
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            "deflate" => new ZLibStream(body, CompressionMode.Decompress),
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            var other => throw new InvalidDataException($"Content-Encoding {other} not understood"),
        };
        using var copy = new MemoryStream();
        decoded.CopyTo(copy);
        return copy.ToArray();
    }

    private static void Respond(HttpListenerResponse response, int status, string json)
    {
        try
        {
            response.StatusCode = status;
            response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(json);
            response.ContentLength64 = bytes.Length;
            response.OutputStream.Write(bytes);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
        }
    }
}
