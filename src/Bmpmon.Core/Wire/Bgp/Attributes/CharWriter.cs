using System.Globalization;

namespace Bmpmon.Core.Wire.Bgp.Attributes;

/// <summary>Appends text into a caller's buffer without allocating; remembers whether everything fitted.</summary>
internal ref struct CharWriter
{
    private readonly Span<char> _destination;

    public CharWriter(Span<char> destination)
    {
        _destination = destination;
        Position = 0;
        Ok = true;
    }

    public int Position { get; private set; }

    public bool Ok { get; private set; }

    public void Put(char c)
    {
        if (Ok && Position < _destination.Length)
        {
            _destination[Position++] = c;
        }
        else
        {
            Ok = false;
        }
    }

    public void Put(string s)
    {
        if (Ok && s.AsSpan().TryCopyTo(_destination[Position..]))
        {
            Position += s.Length;
        }
        else
        {
            Ok = false;
        }
    }

    public void Put(ulong value, string? format = null)
    {
        if (Ok && value.TryFormat(_destination[Position..], out var n, format, CultureInfo.InvariantCulture))
        {
            Position += n;
        }
        else
        {
            Ok = false;
        }
    }

    public void PutIPv4(uint address)
    {
        Put(address >> 24);
        Put('.');
        Put((address >> 16) & 0xFF);
        Put('.');
        Put((address >> 8) & 0xFF);
        Put('.');
        Put(address & 0xFF);
    }

    public readonly bool Finish(out int charsWritten)
    {
        charsWritten = Ok ? Position : 0;
        return Ok;
    }
}
