using MassTransit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebIde.Identity.Grpc;
using WebIde.Identity.Outbox;
using WebIde.Identity.Storage;
using WebIde.Identity.Workspaces;
using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>
/// The workspace API and the Authorization gRPC service on the test server, over in-memory
/// stores, with one workspace, "Project", that alice owns, bob edits and carol views; dave
/// and erin ("Erin") are users who are not in it. The API's announcements land in
/// <see cref="Outbox"/>; given a broker, the outbox's dispatcher runs too and publishes to it.
/// </summary>
public sealed class WorkspacesHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WorkspacesHost(WebApplication app, FakeUserStore users, FakeWorkspaceStore workspaces, MemoryRoleCache cache, Journal journal)
    {
        _app = app;
        Users = users;
        Workspaces = workspaces;
        Cache = cache;
        Journal = journal;
        Client = app.GetTestClient();
    }

    public FakeUserStore Users { get; }

    public FakeWorkspaceStore Workspaces { get; }

    public MemoryRoleCache Cache { get; }

    public FakeOutboxStore Outbox => Workspaces.Outbox;

    public Journal Journal { get; }

    public HttpClient Client { get; }

    public TestServer Server => _app.GetTestServer();

    public UserAccount Alice { get; private set; } = null!;

    public UserAccount Bob { get; private set; } = null!;

    public UserAccount Carol { get; private set; } = null!;

    public UserAccount Dave { get; private set; } = null!;

    public UserAccount Erin { get; private set; } = null!;

    public Workspace Project { get; private set; } = null!;

    public static async Task<WorkspacesHost> StartAsync(IPublishEndpoint? broker = null, int maxOwnedPerUser = 100)
    {
        var journal = new Journal();
        var users = new FakeUserStore();
        var workspaces = new FakeWorkspaceStore(users, new FakeOutboxStore(journal));
        var cache = new MemoryRoleCache(workspaces, journal);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IUserStore>(users);
        builder.Services.AddSingleton<IWorkspaceStore>(workspaces);
        builder.Services.AddSingleton<IRoleCache>(cache);
        builder.Services.Configure<WorkspaceLimits>(limits => limits.MaxOwnedPerUser = maxOwnedPerUser);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OutboxSignal>();
        if (broker is not null)
        {
            builder.Services.AddSingleton(broker);
            builder.Services.AddSingleton<IOutboxStore>(workspaces.Outbox);
            builder.Services.AddSingleton<OutboxIntentCheck>();
            builder.Services.AddHostedService<OutboxDispatcher>();
        }

        var app = builder.Build();
        // As the service's pipeline has it: errors without a body become problem+json.
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapWorkspacesApi();
        app.MapGrpcService<AuthorizationService>();
        await app.StartAsync();

        var host = new WorkspacesHost(app, users, workspaces, cache, journal);
        await host.SeedAsync();
        return host;
    }

    private async Task SeedAsync()
    {
        Alice = Users.Add("alice");
        Bob = Users.Add("bob");
        Carol = Users.Add("carol");
        Dave = Users.Add("dave");
        Erin = Users.Add("Erin");
        Project = new Workspace(Guid.NewGuid(), "Project", DateTimeOffset.UtcNow);
        await Workspaces.CreateAsync(Project, Alice.Id, CancellationToken.None);
        await Workspaces.SetRoleAsync(Project.Id, Bob.Id, WorkspaceRole.Editor, CancellationToken.None);
        await Workspaces.SetRoleAsync(Project.Id, Carol.Id, WorkspaceRole.Viewer, CancellationToken.None);
        // Dave has a workspace of his own that nobody else may see.
        await Workspaces.CreateAsync(new Workspace(Guid.NewGuid(), "Dave's", DateTimeOffset.UtcNow), Dave.Id, CancellationToken.None);
    }

    /// <summary>The seeded user called <paramref name="name"/>.</summary>
    public UserAccount User(string name) => name switch
    {
        "alice" => Alice,
        "bob" => Bob,
        "carol" => Carol,
        "dave" => Dave,
        "erin" => Erin,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public async Task<HttpResponseMessage> SendAsync(string? subject, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (subject is not null)
        {
            request.Headers.Add(TestAuthenticationHandler.SubjectHeader, subject);
        }
        if (body is string json)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>As the seeded user called <paramref name="name"/>.</summary>
    public Task<HttpResponseMessage> SendAsAsync(string name, HttpMethod method, string path, object? body = null) =>
        SendAsync(User(name).Id.ToString(), method, path, body);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
