using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// The gate's answer to a call it does not let through: the engine's own error shape,
/// <c>{"message": "..."}</c>, so Docker.DotNet raises a <c>DockerApiException</c> that says why.
/// </summary>
public static class GateRefusal
{
    public static byte[] Body(string message) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message"] = message });

    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        var body = Body(message);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The same answer as a whole HTTP/1.1 response, for a connection the gate took over from HTTP parsing.</summary>
    public static byte[] RawResponse(int status, string message)
    {
        var body = Body(message);
        var head = $"HTTP/1.1 {status} {ReasonPhrases.GetReasonPhrase(status)}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }
}
