using Microsoft.Win32.SafeHandles;

namespace Bmpmond.Output;

/// <summary>Standard output for <c>BMPMOND_OUTPUT=jsonl:-</c>, where the logs go to stderr at the same time.</summary>
internal static class StandardOutput
{
    private const int StdoutFd = 1;

    /// <summary>
    /// File descriptor 1 as a plain unbuffered <see cref="FileStream"/> when it is a pipe, socket or
    /// terminal; otherwise (a regular file, or no usable descriptor) <paramref name="console"/>.
    /// </summary>
    /// <remarks>
    /// Why not the console stream: on Unix every console stream write holds one process-wide lock
    /// (the one on <c>Console.Out</c>) while it is in write(2). When whoever reads bmpmond's stdout
    /// stops reading, the pipe fills and the output writer blocks inside that lock, and the log
    /// writer blocks behind it on stderr: the daemon goes silent (no backpressure_started, no
    /// shutdown lines) exactly when it has something to say. A FileStream over the same descriptor
    /// writes with write(2) and no lock. A regular file keeps the console stream: FileStream would
    /// write it at its own offset (pwrite), not the offset it shares with stderr, and a file never
    /// blocks a writer for long.
    /// </remarks>
    public static Stream WithoutConsoleLock(Stream console)
    {
        try
        {
            var stream = new FileStream(new SafeFileHandle(StdoutFd, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            if (!stream.CanSeek)
            {
                return stream;
            }

            stream.Dispose();
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
        }

        return console;
    }
}
