using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// Whether a container is one of this installation's sandboxes, by its labels as the engine
/// reports them. A verdict is kept a while: a container's labels never change and its full id is
/// never reused. An engine error (no such container) is passed on, as the engine said it, and not kept.
/// </summary>
public sealed class ContainerOwnership(DockerEngine docker, IMemoryCache verdicts, IOptions<DockerGateOptions> options)
{
    public async Task<ContainerVerdict> CheckAsync(string id, CancellationToken cancellationToken)
    {
        var key = (nameof(ContainerOwnership), id);
        if (verdicts.TryGetValue(key, out bool owned))
        {
            return owned ? ContainerVerdict.Owned : ContainerVerdict.Foreign(id);
        }

        using var response = await docker.Client.GetAsync($"/containers/{id}/json", HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new ContainerVerdict(false, (int)response.StatusCode, EngineMessage(body));
        }

        owned = IsOwned(body, options.Value.Installation);
        verdicts.Set(key, owned, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Value.VerdictLifetime, Size = 1 });
        return owned ? ContainerVerdict.Owned : ContainerVerdict.Foreign(id);
    }

    private static bool IsOwned(string inspected, string installation)
    {
        using var document = JsonDocument.Parse(inspected);
        return document.RootElement.TryGetProperty("Config", out var config)
            && config.ValueKind == JsonValueKind.Object
            && config.TryGetProperty("Labels", out var labels)
            && labels.ValueKind == JsonValueKind.Object
            && labels.TryGetProperty(SandboxLabels.Installation, out var owner) && owner.ValueKind == JsonValueKind.String && owner.GetString() == installation
            && labels.TryGetProperty(SandboxLabels.Managed, out var managed) && managed.ValueKind == JsonValueKind.String && managed.GetString() == "true";
    }

    /// <summary>The engine's own error message (<c>{"message": ...}</c>), or its body as it is.</summary>
    private static string EngineMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString()! : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
