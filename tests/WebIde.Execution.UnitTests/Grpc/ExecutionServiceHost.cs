using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Client;
using MassTransit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NSubstitute;
using WebIde.Contracts.FileSystem.V1;
using WebIde.Execution.Apis;
using WebIde.Execution.Checks;
using WebIde.Execution.Grpc;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;
using WebIde.Execution.UnitTests.Runs;
using WebIde.Tests.Shared;
using ExecutionClient = WebIde.Contracts.Execution.V1.Execution.ExecutionClient;

namespace WebIde.Execution.UnitTests.Grpc;

/// <summary>
/// Execution's gRPC service on the test server with the service's own gRPC settings
/// (<see cref="Extensions.AddExecutionGrpc"/>) and the real run path down to the sandbox, which
/// is a <see cref="FakeSandboxes"/>; the filesystem is a <see cref="FakeWorkspaceFiles"/>, and
/// the caller's <c>sub</c> comes from a header instead of a token.
/// </summary>
public sealed class ExecutionServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private ExecutionServiceHost(WebApplication app, FakeSandboxes sandbox, FakeWorkspaceFiles files)
    {
        _app = app;
        Sandbox = sandbox;
        Filesystem = files;
        var server = app.GetTestServer();
        Handler = server.CreateHandler();
        // The client sends whatever it is given: the server's limit is what is under test.
        _channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = Handler, MaxSendMessageSize = null });
        Client = new ExecutionClient(_channel);
    }

    public ExecutionClient Client { get; }

    /// <summary>The test server's handler, for calls built by hand.</summary>
    public HttpMessageHandler Handler { get; }

    public FakeSandboxes Sandbox { get; }

    public FakeWorkspaceFiles Filesystem { get; }

    /// <summary>The longest request message the service reads, as it is configured.</summary>
    public int MaxReceiveMessageSize => _app.Services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value.MaxReceiveMessageSize!.Value;

    public static async Task<ExecutionServiceHost> StartAsync()
    {
        var sandbox = new FakeSandboxes();
        var files = new FakeWorkspaceFiles();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();

        var services = builder.Services;
        services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddMetrics();
        services.AddExecutionGrpc();
        services.AddSingleton<ISandboxes>(sandbox);
        services.AddSingleton<Files.FilesClient>(files);
        services.AddSingleton(FakeEngine.WithLanguageVersions());
        services.AddSingleton(Substitute.For<IBus>());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SandboxMetrics>();
        services.AddSingleton<LanguageCatalog>();
        services.AddSingleton<LanguageVersions>();
        services.AddSingleton<LanguageListing>();
        services.AddSingleton<WorkspaceSource>();
        services.AddSingleton<RunPlanner>();
        services.AddSingleton<RunAdmission>();
        services.AddSingleton<Runner>();
        services.AddSingleton<RunLauncher>();
        services.AddSingleton<CheckRunner>();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<ExecutionService>();
        await app.StartAsync();
        return new ExecutionServiceHost(app, sandbox, files);
    }

    /// <summary>Call options for the caller whose <c>sub</c> is <paramref name="subject"/>, with the <c>scope</c> claim given.</summary>
    public static CallOptions As(string subject, string? scope = null)
    {
        var headers = new Metadata { { TestAuthenticationHandler.SubjectHeader, subject } };
        if (scope is not null)
        {
            headers.Add(TestAuthenticationHandler.ScopeHeader, scope);
        }
        return new(headers, DateTime.UtcNow.AddSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Sandbox.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
