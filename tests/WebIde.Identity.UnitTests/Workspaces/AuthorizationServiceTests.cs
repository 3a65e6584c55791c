using Grpc.Core;
using Grpc.Net.Client;
using WebIde.Contracts.Identity.V1;
using WebIde.Identity.Storage;
using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>The Authorization gRPC service through the test server, as another service calls it.</summary>
public sealed class AuthorizationServiceTests
{
    private const string ServiceToken = "service:files";

    private WorkspacesHost _host = null!;
    private GrpcChannel _channel = null!;
    private Authorization.AuthorizationClient _client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _host = await WorkspacesHost.StartAsync();
        _channel = GrpcChannel.ForAddress(_host.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _host.Server.CreateHandler() });
        _client = new Authorization.AuthorizationClient(_channel);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Asks as <paramref name="subject"/>; a service with the scope its token would carry (members:read).</summary>
    private async Task<Role> AuthorizeAsync(string? subject, string workspaceId, string userId, string? scope = "members:read")
    {
        var headers = new Metadata();
        if (subject is not null)
        {
            headers.Add(TestAuthenticationHandler.SubjectHeader, subject);
        }
        if (scope is not null && subject?.StartsWith("service:", StringComparison.Ordinal) == true)
        {
            headers.Add(TestAuthenticationHandler.ScopeHeader, scope);
        }
        var response = await _client.AuthorizeAsync(new AuthorizeRequest { WorkspaceId = workspaceId, UserId = userId }, headers);
        return response.Role;
    }

    [TestCase("alice", Role.Owner)]
    [TestCase("bob", Role.Editor)]
    [TestCase("carol", Role.Viewer)]
    [TestCase("dave", Role.None)]
    public async Task AServiceLearnsEachUsersRole(string user, Role expected)
    {
        var role = await AuthorizeAsync(ServiceToken, _host.Project.Id.ToString(), _host.User(user).Id.ToString());

        Assert.That(role, Is.EqualTo(expected));
    }

    [TestCase(null)]
    [TestCase("files:read files:write code:run")]
    public void AServiceTokenWithoutMembersReadIsPermissionDenied(string? scope)
    {
        var failure = Assert.ThrowsAsync<RpcException>(() =>
            AuthorizeAsync(ServiceToken, _host.Project.Id.ToString(), _host.Alice.Id.ToString(), scope));

        Assert.That(failure!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(failure.Status.Detail, Does.Contain("'members:read'"));
    }

    [Test]
    public void AUsersTokenWithAScopeClaimStillMayNotAskAboutAnotherUser()
    {
        var headers = new Metadata
        {
            { TestAuthenticationHandler.SubjectHeader, _host.Dave.Id.ToString() },
            { TestAuthenticationHandler.ScopeHeader, "members:read" },
        };

        var failure = Assert.ThrowsAsync<RpcException>(async () => await _client.AuthorizeAsync(
            new AuthorizeRequest { WorkspaceId = _host.Project.Id.ToString(), UserId = _host.Alice.Id.ToString() }, headers));

        Assert.That(failure!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
    }

    [Test]
    public async Task AnUnknownWorkspaceIsNoRoleLikeANonMember()
    {
        var role = await AuthorizeAsync(ServiceToken, Guid.NewGuid().ToString(), _host.Alice.Id.ToString());

        Assert.That(role, Is.EqualTo(Role.None));
    }

    [Test]
    public async Task TheAnswerFollowsAChangeOfRoleAtOnce()
    {
        Assert.That(await AuthorizeAsync(ServiceToken, _host.Project.Id.ToString(), _host.Bob.Id.ToString()), Is.EqualTo(Role.Editor));

        using var demoted = await _host.SendAsAsync("alice", HttpMethod.Put, $"/api/workspaces/{_host.Project.Id}/members/bob", new { role = "viewer" });
        Assert.That(demoted.IsSuccessStatusCode, Is.True);
        Assert.That(await AuthorizeAsync(ServiceToken, _host.Project.Id.ToString(), _host.Bob.Id.ToString()), Is.EqualTo(Role.Viewer));

        using var removed = await _host.SendAsAsync("alice", HttpMethod.Delete, $"/api/workspaces/{_host.Project.Id}/members/bob");
        Assert.That(removed.IsSuccessStatusCode, Is.True);
        Assert.That(await AuthorizeAsync(ServiceToken, _host.Project.Id.ToString(), _host.Bob.Id.ToString()), Is.EqualTo(Role.None));
    }

    [Test]
    public async Task AUsersOwnTokenMayAskAboutThatUser()
    {
        var role = await AuthorizeAsync(_host.Carol.Id.ToString(), _host.Project.Id.ToString(), _host.Carol.Id.ToString());

        Assert.That(role, Is.EqualTo(Role.Viewer));
    }

    [Test]
    public void AUsersTokenMayNotAskAboutAnotherUser()
    {
        var failure = Assert.ThrowsAsync<RpcException>(() =>
            AuthorizeAsync(_host.Dave.Id.ToString(), _host.Project.Id.ToString(), _host.Alice.Id.ToString()));

        Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
    }

    [TestCase("not-a-uuid", true)]
    [TestCase("", true)]
    [TestCase("not-a-uuid", false)]
    [TestCase("", false)]
    public void AMalformedIdIsInvalidArgument(string malformed, bool inWorkspaceId)
    {
        var workspaceId = inWorkspaceId ? malformed : _host.Project.Id.ToString();
        var userId = inWorkspaceId ? _host.Alice.Id.ToString() : malformed;

        var failure = Assert.ThrowsAsync<RpcException>(() => AuthorizeAsync(ServiceToken, workspaceId, userId));

        Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(failure.Status.Detail, Does.Contain(inWorkspaceId ? "workspace_id" : "user_id"));
    }

    [Test]
    public void AnUnauthenticatedCallIsUnauthenticated()
    {
        var failure = Assert.ThrowsAsync<RpcException>(() =>
            AuthorizeAsync(null, _host.Project.Id.ToString(), _host.Alice.Id.ToString()));

        Assert.That(failure.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
    }

    [Test]
    public async Task TheAnswerComesFromTheCache()
    {
        await AuthorizeAsync(ServiceToken, _host.Project.Id.ToString(), _host.Bob.Id.ToString());

        Assert.That(_host.Cache.Holds(_host.Project.Id, _host.Bob.Id), Is.True);
        // Changed behind the cache's back (no invalidation): the cached answer stands.
        await _host.Workspaces.SetRoleAsync(_host.Project.Id, _host.Bob.Id, WorkspaceRole.Owner, CancellationToken.None);
        Assert.That(await AuthorizeAsync(ServiceToken, _host.Project.Id.ToString(), _host.Bob.Id.ToString()), Is.EqualTo(Role.Editor));
    }
}
