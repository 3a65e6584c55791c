using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WebIde.FileSystem.Access;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Grpc;
using WebIde.FileSystem.UnitTests.Files;
using WebIde.ServiceDefaults.Authorization;
using WebIde.Tests.Shared;
using FilesClient = WebIde.Contracts.FileSystem.V1.Files.FilesClient;

namespace WebIde.FileSystem.UnitTests.Grpc;

/// <summary>
/// Filesystem's gRPC service on the test server, as other services call it: over a SQLite
/// file of its own and a local Redis, with the roles a test sets instead of identity's, and
/// the caller's <c>sub</c> from a header instead of a token (<c>service:…</c> is a service).
/// </summary>
public sealed class FilesServiceHost : IAsyncDisposable
{
    public const string Service = "service:collaboration";

    /// <summary>The scopes identity grants collaboration, which reads and writes files.</summary>
    public const string ServiceScopes = "files:read files:write members:read";

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly string _folder;

    private FilesServiceHost(WebApplication app, FixedRoles roles, string folder)
    {
        _app = app;
        _folder = folder;
        Roles = roles;
        var server = app.GetTestServer();
        _channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
        Files = new FilesClient(_channel);
    }

    public FilesClient Files { get; }

    public FixedRoles Roles { get; }

    public static async Task<FilesServiceHost> StartAsync(LocalRedis redis, FileLimits limits)
    {
        var folder = Directory.CreateTempSubdirectory("webide-fs-grpc-").FullName;
        var roles = new FixedRoles();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(FileSystemInstance.Create($"Data Source={Path.Combine(folder, "filesystem.db")}", redis, limits));
        builder.Services.AddSingleton<IWorkspaceRoles>(roles);
        builder.Services.AddSingleton<WorkspaceAccess>();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<FilesService>();
        await app.StartAsync();
        return new FilesServiceHost(app, roles, folder);
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

    /// <summary>Call options for <see cref="Service"/> with the scopes given (by default those it is granted).</summary>
    public static CallOptions AsService(string? scope = ServiceScopes) => As(Service, scope);

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
