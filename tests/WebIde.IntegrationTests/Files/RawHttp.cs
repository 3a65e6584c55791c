using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// HTTP/1.1 over a bare socket, for request targets no HTTP client library would send as
/// written (a raw backslash, control bytes): the gateway sees exactly these bytes.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="target"/> byte for byte (each char one Latin-1 byte) and reads the whole answer.</summary>
    public static async Task<RawAnswer> SendAsync(string method, string target, string accessToken, byte[]? body = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var gateway = Platform.GatewayAddress;
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(IPAddress.Loopback, gateway.Port, deadline.Token);
        await using var stream = await SecuredAsync(client.GetStream(), gateway, deadline.Token);

        var head = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(gateway.Authority).Append("\r\n")
            .Append("Authorization: Bearer ").Append(accessToken).Append("\r\n")
            .Append("Content-Length: ").Append(body?.Length ?? 0).Append("\r\n")
            .Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), deadline.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, deadline.Token);
        }

        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, deadline.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // The server may reset the connection right after answering a request it refused.
        }
        return Parse(received.ToArray());
    }

    /// <summary>Under TLS the same bytes go inside it, HTTP/1.1 negotiated (<see cref="GatewayTls"/>).</summary>
    private static async Task<Stream> SecuredAsync(NetworkStream stream, Uri gateway, CancellationToken cancellationToken)
    {
        if (gateway.Scheme != Uri.UriSchemeHttps)
        {
            return stream;
        }
        var secured = new SslStream(stream, leaveInnerStreamOpen: false);
        await secured.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = gateway.Host,
            RemoteCertificateValidationCallback = GatewayTls.Validate,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        }, cancellationToken);
        return secured;
    }

    private static RawAnswer Parse(byte[] raw)
    {
        var separator = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.That(separator, Is.GreaterThan(0), $"no HTTP answer: {Encoding.Latin1.GetString(raw)}");
        var head = Encoding.Latin1.GetString(raw, 0, separator);
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = raw[(separator + 4)..];
        var answer = new RawAnswer(status, head, body);
        return answer.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true
            ? answer with { Body = Unchunk(body) }
            : answer;
    }

    private static byte[] Unchunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(position).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, position, lineEnd).Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }
            body.Write(chunked, position + lineEnd + 2, size);
            position += lineEnd + 2 + size + 2;
        }
        return body.ToArray();
    }
}
