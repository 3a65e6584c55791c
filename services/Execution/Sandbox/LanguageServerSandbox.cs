using System.Runtime.CompilerServices;

namespace WebIde.Execution.Sandbox;

/// <summary>
/// A language server running in a container of its own that belongs to one user (docs/api.md §6): the
/// workspace's files are in its scratch directory, read-only to the server and kept current by the
/// caller; its stdin and stdout carry the Language Server Protocol. Disposing it removes the container,
/// server and files with it: a language server's container is never handed on.
/// </summary>
public sealed class LanguageServerSandbox : IAsyncDisposable
{
    private readonly SandboxContainer _container;
    private readonly int _lease;

    private LanguageServerSandbox(SandboxContainer container, int lease)
    {
        _container = container;
        _lease = lease;
    }

    public string Id => _container.Id;

    /// <summary>What the agent itself wrote on stderr: for logs, never for users.</summary>
    public string Log => _container.Log;

    /// <summary>
    /// A container started for the server (not a warm one: those carry a run's short expiry, and a language
    /// server lives as long as its socket), given the files and the server's step at once.
    /// </summary>
    public static async Task<LanguageServerSandbox> StartAsync(SandboxFactory factory, LanguageServerRequest request, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>
        {
            [SandboxLabels.Workspace] = request.WorkspaceId.ToString("D"),
            [SandboxLabels.LanguageServer] = request.Language,
            [SandboxLabels.Tenant] = request.Tenant,
        };
        var container = await factory.StartAsync(new SandboxShape(request.MemoryBytes, request.Cpus), labels, request.MaxLifetime, cancellationToken);
        try
        {
            container.AssignTo(request.Tenant, request.Language);
            var sandbox = new LanguageServerSandbox(container, await container.BeginLeaseAsync());
            await container.SendAsync(sandbox._lease, AgentProtocol.RequestFrames(request.Files, [request.Server], request.Directories), cancellationToken);
            return sandbox;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the server wrote (stdout: protocol, stderr: its log) until it exits; the sequence ends with the container.</summary>
    public async IAsyncEnumerable<SandboxEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _container.ReadFrameAsync(cancellationToken) is { } frame)
        {
            if (AgentProtocol.EventOf(frame) is { } sandboxEvent)
            {
                yield return sandboxEvent;
            }
        }
    }

    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _container.SendAsync(_lease, [new AgentFrame(AgentFrameKind.Stdin, data)], cancellationToken);

    /// <summary>Writes a file of the project, then <paramref name="thenStdin"/> (the server's word of it): in one piece, so in that order.</summary>
    public Task ReplaceFileAsync(string path, ReadOnlyMemory<byte> content, ReadOnlyMemory<byte> thenStdin, CancellationToken cancellationToken) =>
        _container.SendAsync(_lease, WithStdin(AgentFrame.ReplaceFile(path, content.Span), thenStdin), cancellationToken);

    public Task RemoveFileAsync(string path, ReadOnlyMemory<byte> thenStdin, CancellationToken cancellationToken) =>
        _container.SendAsync(_lease, WithStdin(AgentFrame.RemoveFile(path), thenStdin), cancellationToken);

    private static List<AgentFrame> WithStdin(AgentFrame frame, ReadOnlyMemory<byte> stdin) =>
        stdin.IsEmpty ? [frame] : [frame, new AgentFrame(AgentFrameKind.Stdin, stdin)];

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}
