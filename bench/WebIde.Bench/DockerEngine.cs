using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace WebIde.Bench;

/// <summary>
/// The few Docker Engine API calls the lsp benchmark makes over the engine's unix socket
/// (<c>DOCKER_HOST=unix://…</c>, or /var/run/docker.sock): running containers by label, the
/// processes in one, and its memory as <c>docker stats</c> shows it.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    private readonly HttpClient _client;

    private DockerEngine(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _client = new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The engine, once it has answered a ping; otherwise null and why.</summary>
    public static async Task<(DockerEngine? Engine, string? Why)> OpenAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrEmpty(host) && !host.StartsWith("unix://", StringComparison.Ordinal))
        {
            return (null, $"DOCKER_HOST={host} is not a unix socket");
        }
        var path = string.IsNullOrEmpty(host) ? "/var/run/docker.sock" : host["unix://".Length..];
        var engine = new DockerEngine(path);
        try
        {
            using var ping = await engine._client.GetAsync(new Uri("_ping", UriKind.Relative));
            ping.EnsureSuccessStatusCode();
            return (engine, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or SocketException or TaskCanceledException)
        {
            engine.Dispose();
            return (null, $"the Docker engine at {path} did not answer: {exception.Message}");
        }
    }

    /// <summary>Running containers that carry every one of <paramref name="labels"/> (<c>key=value</c>).</summary>
    public async Task<IReadOnlyList<DockerContainer>> RunningAsync(params string[] labels)
    {
        var filters = JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = labels, ["status"] = ["running"] });
        var listed = await _client.GetFromJsonAsync<JsonElement>(new Uri($"containers/json?filters={Uri.EscapeDataString(filters)}", UriKind.Relative));
        return [.. listed.EnumerateArray().Select(container => new DockerContainer(
            container.GetProperty("Id").GetString()!,
            container.GetProperty("Created").GetInt64(),
            container.TryGetProperty("Labels", out var containerLabels) && containerLabels.ValueKind == JsonValueKind.Object
                ? containerLabels.EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString() ?? "")
                : []))];
    }

    /// <summary>The command lines of the container's processes (<c>docker top</c>); none when it has stopped.</summary>
    public async Task<IReadOnlyList<string>> ProcessesAsync(string id)
    {
        using var response = await _client.GetAsync(new Uri($"containers/{id}/top", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }
        var top = await response.Content.ReadFromJsonAsync<JsonElement>();
        var titles = top.GetProperty("Titles").EnumerateArray().Select(title => title.GetString()).ToList();
        var command = Math.Max(titles.IndexOf("CMD"), titles.IndexOf("COMMAND"));
        return command < 0 ? [] : [.. top.GetProperty("Processes").EnumerateArray().Select(process => process[command].GetString() ?? "")];
    }

    /// <summary>
    /// The container's memory in bytes as <c>docker stats</c> computes it: the cgroup's usage less its
    /// inactive file pages (<c>total_inactive_file</c> on cgroup v1, <c>inactive_file</c> on v2);
    /// null when the engine has no figure (the container stopped).
    /// </summary>
    public async Task<long?> MemoryAsync(string id)
    {
        using var response = await _client.GetAsync(new Uri($"containers/{id}/stats?stream=false&one-shot=true", UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var stats = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!stats.TryGetProperty("memory_stats", out var memory) || !memory.TryGetProperty("usage", out var usageValue))
        {
            return null;
        }
        var usage = usageValue.GetInt64();
        if (!memory.TryGetProperty("stats", out var detail) || detail.ValueKind != JsonValueKind.Object)
        {
            return usage;
        }
        // As the docker CLI does: v1's figure when it is there, else v2's.
        var inactive = detail.TryGetProperty("total_inactive_file", out var v1) ? v1.GetInt64()
            : detail.TryGetProperty("inactive_file", out var v2) ? v2.GetInt64()
            : 0;
        return inactive < usage ? usage - inactive : usage;
    }

    public void Dispose() => _client.Dispose();
}
