using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// Every ordinary (not hijacked) call: matched against the allowlist, its body, query and
/// container checked, then sent to the engine as it came (the raw target, so what was checked is
/// what the engine reads) and the answer streamed back as it comes. Anything else gets 403 in the
/// engine's error shape, and a log line.
/// </summary>
public sealed class DockerGateForwarder(
    DockerEngine docker,
    ContainerOwnership ownership,
    ContainerCreatePolicy createPolicy,
    ContainerListPolicy listPolicy,
    IOptions<DockerGateOptions> options,
    ILogger<DockerGateForwarder> logger)
{
    /// <summary>A sandbox's config is some 50 KiB (the agent's source and the seccomp profile are in it).</summary>
    public const int MaxCreateBodyBytes = 1 << 20;

    /// <summary>Response headers that belong to one connection, not to the answer.</summary>
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    public async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var (status, refusal, body) = await CheckAsync(context, method, target);
        if (refusal is not null)
        {
            logger.LogWarning("Docker gate refused {Method} {Target}: {Reason}", method, Shorten(target), refusal);
            await GateRefusal.WriteAsync(context, status, refusal);
            return;
        }

        using var outgoing = new HttpRequestMessage(new HttpMethod(method), target);
        if (body is not null)
        {
            outgoing.Content = new ByteArrayContent(body);
            outgoing.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await docker.Client.SendAsync(outgoing, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (HttpRequestException exception)
        {
            logger.LogWarning(exception, "Docker gate could not reach the engine for {Method} {Target}", method, Shorten(target));
            await GateRefusal.WriteAsync(context, StatusCodes.Status502BadGateway, "the Docker engine does not answer");
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }
            // Streams (a wait, an archive) go on as the engine writes them, never buffered whole.
            await using var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    private async Task<(int Status, string? Refusal, byte[]? Body)> CheckAsync(HttpContext context, string method, string target)
    {
        const int Forbidden = StatusCodes.Status403Forbidden;
        if (DockerApiAllowlist.Match(method, target) is not { } call)
        {
            return (Forbidden, $"the Docker gate does not allow {method} {Shorten(target.Split('?', 2)[0])}", null);
        }
        if (call.Kind == DockerCallKind.ContainerAttach)
        {
            // Taken over by HijackedAttach when it opens a connection; behind another request it cannot be.
            return (Forbidden, "an attach must be the first request on its connection", null);
        }

        var hasBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;
        byte[]? body = null;
        if (call.Kind == DockerCallKind.ContainerCreate)
        {
            body = await ReadBodyAsync(context.Request.Body, context.RequestAborted);
            if (body is null)
            {
                return (Forbidden, $"a container config is at most {MaxCreateBodyBytes} bytes", null);
            }
            if (createPolicy.Check(body) is { } fault)
            {
                return (Forbidden, fault, null);
            }
        }
        else if (hasBody)
        {
            // A start of API 1.23 and older took a host config: none but a create carries a body here.
            return (Forbidden, $"{method} {Shorten(target.Split('?', 2)[0])} takes no body through the Docker gate", null);
        }

        if (call.Kind == DockerCallKind.ContainerList && listPolicy.Check(target) is { } listFault)
        {
            return (Forbidden, listFault, null);
        }
        if (call.Kind == DockerCallKind.ImageInspect && !options.Value.AllowedImages.Contains(call.Image, StringComparer.Ordinal))
        {
            return (Forbidden, $"image {call.Image} is not the runner image", null);
        }
        if (call.ContainerId is { } id && await ownership.CheckAsync(id, context.RequestAborted) is { IsOwned: false } verdict)
        {
            return (verdict.Status, verdict.Message, null);
        }
        return (StatusCodes.Status200OK, null, body);
    }

    private static async Task<byte[]?> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxCreateBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    internal static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
