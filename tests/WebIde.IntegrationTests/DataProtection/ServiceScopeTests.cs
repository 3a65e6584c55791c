using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using WebIde.Contracts.FileSystem.V1;
using WebIde.Contracts.Identity.V1;
using WebIde.IntegrationTests.Execution;
using WebIde.IntegrationTests.Files;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.DataProtection;

/// <summary>
/// Issue 16, point 7: each service's token carries only the scopes its calls need
/// (docs/platform.md, "Service identity"), and each callee refuses a service token without
/// the call's scope, changing nothing. The flows that need them (runs reading files,
/// collaboration snapshotting files, roles asked of identity) are covered by their own tests.
/// </summary>
public sealed class ServiceScopeTests
{
    [TestCase("filesystem", "members:read")]
    [TestCase("collaboration", "files:read files:write members:read")]
    [TestCase("execution", "files:read members:read")]
    public async Task EachServicesTokenCarriesExactlyItsScopes(string service, string scopes)
    {
        var token = await ServiceClients.TokenAsync(service);

        Assert.That(Jwt.Decode(token).Payload.GetProperty("scope").GetString(), Is.EqualTo(scopes));
    }

    [TestCase("execution", "files:write")]
    [TestCase("filesystem", "files:read")]
    [TestCase("collaboration", "code:run")]
    [TestCase("collaboration", "admin")]
    public async Task AScopeNotGrantedIsRefusedAsInvalidScope(string service, string scope)
    {
        using var response = await ServiceClients.RequestTokenAsync(service, await ServiceClients.ClientSecretAsync(service), scope);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, $"{service} asking for {scope}");
        Assert.That(problem.GetProperty("error").GetString(), Is.EqualTo("invalid_scope"));
    }

    [Test]
    public async Task ExecutionsTokenCannotWriteFilesAndChangesNothing()
    {
        using var workspace = await FileWorkspace.CreateAsync("scope-write");
        var before = await workspace.ReadBytesAsync("main.py");
        using var grpc = new FileSystemGrpc();
        var execution = FileSystemGrpc.AsUser(await ServiceClients.TokenAsync("execution"));

        var single = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.WriteFileAsync(Write(workspace, "main.py", "print('owned')"), execution));
        var batch = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.WriteFilesAsync(
            new WriteFilesRequest { Files = { Write(workspace, "main.py", "print('owned')"), Write(workspace, "planted.py", "x") } }, execution));

        using var planted = await workspace.GetAsync("planted.py");
        var after = await workspace.ReadBytesAsync("main.py");
        Assert.Multiple(() =>
        {
            foreach (var refusal in new[] { single, batch })
            {
                Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
                Assert.That(refusal.Status.Detail, Does.Contain("'files:write'"));
            }
            Assert.That(after, Is.EqualTo(before));
            Assert.That(planted.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task ExecutionsTokenStillReadsFiles()
    {
        using var workspace = await FileWorkspace.CreateAsync("scope-read");
        using var grpc = new FileSystemGrpc();
        var execution = FileSystemGrpc.AsUser(await ServiceClients.TokenAsync("execution"));

        var file = await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "main.py" }, execution);

        Assert.That(file.Content.ToByteArray(), Is.EqualTo(await workspace.ReadBytesAsync("main.py")));
    }

    [Test]
    public async Task FilesystemsTokenCannotReadOrWriteWhatOnlyCollaborationMay()
    {
        using var workspace = await FileWorkspace.CreateAsync("scope-fs");
        var before = await workspace.ReadBytesAsync("main.py");
        using var grpc = new FileSystemGrpc();
        var filesystem = FileSystemGrpc.AsUser(await ServiceClients.TokenAsync("filesystem"));

        var read = Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.Files.ReadFileAsync(new ReadFileRequest { WorkspaceId = workspace.Id, Path = "main.py" }, filesystem));
        var tree = Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.Files.ListTreeAsync(new ListTreeRequest { WorkspaceId = workspace.Id }, filesystem));
        var write = Assert.ThrowsAsync<RpcException>(async () => await grpc.Files.WriteFileAsync(Write(workspace, "main.py", "print('owned')"), filesystem));
        var after = await workspace.ReadBytesAsync("main.py");

        Assert.Multiple(() =>
        {
            Assert.That(read!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(read.Status.Detail, Does.Contain("'files:read'"));
            Assert.That(tree!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(write!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(write.Status.Detail, Does.Contain("'files:write'"));
            Assert.That(after, Is.EqualTo(before));
        });
    }

    [Test]
    public async Task ATokenAskedWithoutMembersReadCannotAskIdentityAboutRoles()
    {
        using var workspace = await FileWorkspace.CreateAsync("scope-roles");
        var narrowed = await ServiceClients.TokenAsync("collaboration", scope: "files:read");
        var full = await ServiceClients.TokenAsync("collaboration");
        using var channel = GrpcChannel.ForAddress(Platform.App.GetEndpoint("identity", "grpc"));
        var authorization = new WebIde.Contracts.Identity.V1.Authorization.AuthorizationClient(channel);
        var request = new AuthorizeRequest { WorkspaceId = workspace.Id, UserId = workspace.UserId };

        var refusal = Assert.ThrowsAsync<RpcException>(async () =>
            await authorization.AuthorizeAsync(request, FileSystemGrpc.Bearer(narrowed), DateTime.UtcNow.AddSeconds(30)));
        var answer = await authorization.AuthorizeAsync(request, FileSystemGrpc.Bearer(full), DateTime.UtcNow.AddSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(Jwt.Decode(narrowed).Payload.GetProperty("scope").GetString(), Is.EqualTo("files:read"));
            Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(refusal.Status.Detail, Does.Contain("'members:read'"));
            Assert.That(answer.Role, Is.EqualTo(Role.Owner));
        });
    }

    [Test]
    public async Task AServiceTokenCannotRunAWorkspaceOverRestThroughTheGateway()
    {
        using var workspace = await ExecWorkspace.CreateAsync("scope-run");
        var token = await ServiceClients.TokenAsync("collaboration");

        using var run = await workspace.PostRunAsync(new { entry = "main.py" }, token);
        using var check = await workspace.PostCheckAsync(new { path = "main.py" }, token);

        foreach (var response in new[] { run, check })
        {
            var problem = await Problems.AssertAsync(response, HttpStatusCode.Forbidden, "a service token without code:run");
            Assert.That(problem.GetProperty("missingScope").GetString(), Is.EqualTo("code:run"));
        }
    }

    private static WriteFileRequest Write(FileWorkspace workspace, string path, string text) => new()
    {
        WorkspaceId = workspace.Id,
        Path = path,
        Content = ByteString.CopyFromUtf8(text),
        UserId = workspace.UserId,
    };
}
