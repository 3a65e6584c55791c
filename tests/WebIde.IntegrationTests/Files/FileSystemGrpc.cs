using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using WebIde.IntegrationTests.Identity;
using FilesClient = WebIde.Contracts.FileSystem.V1.Files.FilesClient;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// A client of filesystem's own gRPC endpoint, as another service calls it: not through the
/// gateway, with a service token from identity's client-credentials grant.
/// </summary>
public sealed class FileSystemGrpc : IDisposable
{
    // The largest file is 5 MiB (docs/api.md §3); one ReadFile answer carries it whole.
    private const int MaxMessageBytes = 8 * 1024 * 1024;

    // Collaboration is filesystem's one real caller that writes (files:read and files:write);
    // its credentials are the AppHost's.
    private const string CallingService = "collaboration";

    private static readonly SemaphoreSlim TokenLock = new(1, 1);
    private static string? _serviceToken;

    private readonly GrpcChannel _channel;

    public FileSystemGrpc()
    {
        _channel = GrpcChannel.ForAddress(Platform.App.GetEndpoint("filesystem", "grpc"), new GrpcChannelOptions
        {
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
        });
        Files = new FilesClient(_channel);
    }

    public FilesClient Files { get; }

    public static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    /// <summary>Call options with the service token and a deadline that keeps a hung call from hanging the run.</summary>
    public static async Task<CallOptions> AsServiceAsync() =>
        new(Bearer(await ServiceTokenAsync()), DateTime.UtcNow.AddSeconds(60));

    public static CallOptions AsUser(string accessToken) => new(Bearer(accessToken), DateTime.UtcNow.AddSeconds(60));

    /// <summary>One token for the whole run: it outlives any test here, and asking identity each time adds nothing.</summary>
    public static async Task<string> ServiceTokenAsync()
    {
        await TokenLock.WaitAsync();
        try
        {
            return _serviceToken ??= await ServiceClients.TokenAsync(CallingService);
        }
        finally
        {
            TokenLock.Release();
        }
    }

    public void Dispose() => _channel.Dispose();
}
