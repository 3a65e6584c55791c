using Google.Protobuf;
using Grpc.Core;
using WebIde.Contracts.FileSystem.V1;
using WebIde.FileSystem.Files;
using WebIde.ServiceDefaults.Authorization;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Grpc;

/// <summary>
/// A service token reads any workspace's files only with <c>files:read</c> and writes them
/// only with <c>files:write</c>; refused, it changes nothing. A user's token is held to the
/// user's role as before, whatever scope claim it carries.
/// </summary>
public sealed class ServiceScopeTests
{
    // What identity grants execution: it reads files, and never writes them.
    private const string ReadOnly = "files:read members:read";

    private LocalRedis _redis = null!;
    private FilesServiceHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _redis = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed here.");
        _host = await FilesServiceHost.StartAsync(_redis, new FileLimits());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [TestCase(ReadOnly)]
    [TestCase("members:read")]
    [TestCase(null)]
    public async Task AServiceTokenWithoutFilesWriteCannotWriteAFileAndChangesNothing(string? scope)
    {
        var workspace = await WorkspaceWithAFileAsync();

        var single = Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Files.WriteFileAsync(Write(workspace, "main.py", "overwritten"), FilesServiceHost.AsService(scope)));
        var batch = Assert.ThrowsAsync<RpcException>(async () => await _host.Files.WriteFilesAsync(
            new WriteFilesRequest { Files = { Write(workspace, "main.py", "overwritten"), Write(workspace, "new.py", "planted") } },
            FilesServiceHost.AsService(scope)));

        var file = await _host.Files.ReadFileAsync(Read(workspace, "main.py"), FilesServiceHost.AsService());
        var tree = await _host.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace }, FilesServiceHost.AsService());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(single!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(single.Status.Detail, Does.Contain("'files:write'"));
            Assert.That(batch!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied), "refused as a whole, not item by item");
            Assert.That(batch.Status.Detail, Does.Contain("'files:write'"));
            Assert.That(file.Content.ToStringUtf8(), Is.EqualTo("original"));
            Assert.That(file.Version, Is.EqualTo(1));
            Assert.That(tree.Entries.Select(entry => entry.Path), Is.EqualTo(new[] { "main.py" }));
        }
    }

    [TestCase("members:read")]
    [TestCase("files:write")]
    [TestCase(null)]
    public async Task AServiceTokenWithoutFilesReadCannotReadAnything(string? scope)
    {
        var workspace = await WorkspaceWithAFileAsync();
        var caller = FilesServiceHost.AsService(scope);

        var read = Assert.ThrowsAsync<RpcException>(async () => await _host.Files.ReadFileAsync(Read(workspace, "main.py"), caller));
        var tree = Assert.ThrowsAsync<RpcException>(async () => await _host.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace }, caller));
        var all = Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = _host.Files.ReadWorkspace(new ReadWorkspaceRequest { WorkspaceId = workspace }, caller);
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
            }
        });

        using (Assert.EnterMultipleScope())
        {
            foreach (var refusal in new[] { read, tree, all })
            {
                Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
                Assert.That(refusal.Status.Detail, Does.Contain("'files:read'"));
            }
        }
    }

    [Test]
    public async Task AServiceTokenWithFilesReadReadsAnyWorkspace()
    {
        var workspace = await WorkspaceWithAFileAsync();
        var caller = FilesServiceHost.AsService(ReadOnly);

        var file = await _host.Files.ReadFileAsync(Read(workspace, "main.py"), caller);
        var tree = await _host.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace }, caller);
        using var call = _host.Files.ReadWorkspace(new ReadWorkspaceRequest { WorkspaceId = workspace }, caller);
        var chunks = await call.ResponseStream.ReadAllAsync().ToListAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(file.Content.ToStringUtf8(), Is.EqualTo("original"));
            Assert.That(tree.Entries.Select(entry => entry.Path), Is.EqualTo(new[] { "main.py" }));
            Assert.That(chunks.Select(chunk => chunk.Path), Is.EqualTo(new[] { "main.py" }));
        }
    }

    [Test]
    public async Task AUsersTokenIsHeldToItsRoleWhateverScopeClaimItCarries()
    {
        var workspace = await WorkspaceWithAFileAsync();
        var viewer = Guid.NewGuid();
        _host.Roles.Set(Guid.Parse(workspace), viewer, WorkspaceRole.Viewer);
        var stranger = FilesServiceHost.As(Guid.NewGuid().ToString(), FilesServiceHost.ServiceScopes);
        var viewing = FilesServiceHost.As(viewer.ToString(), FilesServiceHost.ServiceScopes);

        var notAMember = Assert.ThrowsAsync<RpcException>(async () => await _host.Files.ReadFileAsync(Read(workspace, "main.py"), stranger));
        var viewerWrites = Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Files.WriteFileAsync(Write(workspace, "main.py", "overwritten"), viewing));
        var viewerReads = await _host.Files.ReadFileAsync(Read(workspace, "main.py"), viewing);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(notAMember!.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That(viewerWrites!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(viewerWrites.Status.Detail, Does.Contain("editor role"));
            Assert.That(viewerReads.Content.ToStringUtf8(), Is.EqualTo("original"));
        }
    }

    /// <summary>A new workspace holding <c>main.py</c> = "original" at version 1, written with collaboration's scopes.</summary>
    private async Task<string> WorkspaceWithAFileAsync()
    {
        var workspace = Guid.NewGuid().ToString();
        await _host.Files.WriteFileAsync(Write(workspace, "main.py", "original"), FilesServiceHost.AsService());
        return workspace;
    }

    private static ReadFileRequest Read(string workspace, string path) => new() { WorkspaceId = workspace, Path = path };

    private static WriteFileRequest Write(string workspace, string path, string text) => new()
    {
        WorkspaceId = workspace,
        Path = path,
        Content = ByteString.CopyFromUtf8(text),
        UserId = Guid.NewGuid().ToString(),
    };
}
