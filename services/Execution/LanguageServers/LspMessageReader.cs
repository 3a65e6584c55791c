using System.Text;

namespace WebIde.Execution.LanguageServers;

/// <summary>
/// Messages out of a language server's stdout, which carries LSP's base protocol: headers
/// (<c>Content-Length</c>, maybe <c>Content-Type</c>), a blank line, the JSON body. Output comes in
/// chunks that follow the server's writes, not its messages, so a message may span chunks.
/// </summary>
public sealed class LspMessageReader(int maxMessageBytes)
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _length;

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (_start + _length + chunk.Length > _buffer.Length)
        {
            var needed = _length + chunk.Length;
            var target = needed > _buffer.Length ? new byte[Math.Max(needed, _buffer.Length * 2)] : _buffer;
            _buffer.AsSpan(_start, _length).CopyTo(target);
            _buffer = target;
            _start = 0;
        }
        chunk.CopyTo(_buffer.AsSpan(_start + _length));
        _length += chunk.Length;
    }

    /// <summary>The next whole message's body, if one has arrived.</summary>
    /// <exception cref="InvalidDataException">The server wrote something that is not the base protocol, or a message over the limit.</exception>
    public bool TryRead(out ReadOnlyMemory<byte> body)
    {
        body = default;
        var pending = _buffer.AsSpan(_start, _length);
        var headerEnd = pending.IndexOf(HeaderEnd);
        if (headerEnd < 0)
        {
            if (_length > 4096)
            {
                throw new InvalidDataException("the language server wrote a header over 4 KiB long");
            }
            return false;
        }

        var contentLength = ContentLength(Encoding.ASCII.GetString(pending[..headerEnd]));
        if (contentLength > maxMessageBytes)
        {
            throw new InvalidDataException($"the language server wrote a message of {contentLength} bytes, over the limit of {maxMessageBytes}");
        }
        var total = headerEnd + HeaderEnd.Length + contentLength;
        if (_length < total)
        {
            return false;
        }

        body = pending.Slice(headerEnd + HeaderEnd.Length, contentLength).ToArray();
        _start += total;
        _length -= total;
        if (_length == 0)
        {
            _start = 0;
        }
        return true;
    }

    private static int ContentLength(string headers)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line[(colon + 1)..].Trim(), out var length) && length >= 0)
            {
                return length;
            }
        }
        throw new InvalidDataException("the language server wrote a message without a Content-Length header");
    }

    /// <summary>A message body as the server reads it from stdin.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> body)
    {
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        var framed = new byte[header.Length + body.Length];
        header.CopyTo(framed, 0);
        body.CopyTo(framed.AsSpan(header.Length));
        return framed;
    }
}
