using System.Globalization;
using System.Text;

namespace WebIde.Gateway.RateLimiting;

/// <summary>How the gateway tells a gRPC call from other requests, and refuses one in the form a gRPC client reads.</summary>
public static class GrpcCall
{
    /// <summary>gRPC's <c>RESOURCE_EXHAUSTED</c>: a per-user quota ran out.</summary>
    public const int ResourceExhausted = 8;

    private const string ContentType = "application/grpc";

    /// <summary>
    /// Whether <paramref name="request"/> is a gRPC call: its content type is <c>application/grpc</c>,
    /// alone or with a suffix (<c>+proto</c>, <c>+json</c>, gRPC-Web's <c>-web</c>) or parameters.
    /// The content type, not the listener or the path: the gRPC protocol has every call carry it,
    /// whatever port the listeners are given (they are configurable, and tests bind port 0) and
    /// whichever service the call names, so a gRPC route added later is counted too. A request to
    /// a gRPC path without it is no gRPC call: the service refuses it before any method runs.
    /// </summary>
    public static bool Is(HttpRequest request) =>
        request.ContentType is { } type
        && type.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (type.Length == ContentType.Length || type[ContentType.Length] is '+' or '-' or ';');

    /// <summary>
    /// Ends the call with <paramref name="status"/> as a trailers-only response: HTTP 200 with
    /// the gRPC content type and the status in the headers, no message. With no body and no
    /// trailers, Kestrel sends those headers in the stream's only HEADERS frame, which is how
    /// gRPC ends a call it refuses at once (Grpc.AspNetCore answers its own refusals the same way).
    /// </summary>
    /// <param name="retryAfter">
    /// When to try again, in two forms: <c>retry-after</c> in seconds, as the execution service's
    /// own RESOURCE_EXHAUSTED (too many runs) and the REST 429 carry it, so one client code reads
    /// both refusals; and gRPC's standard <c>grpc-retry-pushback-ms</c>, which a client's retry
    /// policy honours by itself, waiting exactly that long instead of its own backoff.
    /// </param>
    public static void Refuse(HttpResponse response, int status, string message, TimeSpan retryAfter)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers["grpc-status"] = status.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncoded(message);
        response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-retry-pushback-ms"] = ((long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary><c>grpc-message</c> as the gRPC protocol has it: UTF-8, each byte outside printable ASCII, and '%', as %XX.</summary>
    private static string PercentEncoded(string message)
    {
        var encoded = new StringBuilder(message.Length);
        foreach (var octet in Encoding.UTF8.GetBytes(message))
        {
            if (octet is >= 0x20 and <= 0x7E && octet != (byte)'%')
            {
                encoded.Append((char)octet);
            }
            else
            {
                encoded.Append('%').Append(octet.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }
}
