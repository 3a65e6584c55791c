using System.Diagnostics.Metrics;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;
using WebIde.Contracts.FileSystem.V1;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>
/// One collaboration instance's document machinery (hub, store, group committer) on a real
/// Redis, without sockets: several of them on one Redis are several instances. Documents are
/// made in Redis beforehand, so the filesystem is never asked (or a test's own client answers).
/// </summary>
public sealed class CollaborationInstance : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly GrpcChannel _files = GrpcChannel.ForAddress("http://127.0.0.1:9");
    private bool _committing;

    /// <summary>What the instances log, in the test's output (a failure shows why).</summary>
    private static readonly ILoggerFactory Loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Information));

    public CollaborationInstance(IConnectionMultiplexer redis, bool startCommitting = true, Files.FilesClient? files = null)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Metrics = new CollaborationMetrics(_services.GetRequiredService<IMeterFactory>());
        Store = new DocumentStore(redis, TestKeys.Cipher);
        Identity = new InstanceIdentity();
        Committer = new GroupCommitter(Store, Metrics, TimeProvider.System, Loggers.CreateLogger<GroupCommitter>());
        Hub = new DocumentHub(redis, Store, Committer, new FileSource(files ?? new Files.FilesClient(_files)), Identity,
            Options.Create(new CollaborationOptions()), Metrics, TimeProvider.System, Loggers);
        if (startCommitting)
        {
            StartCommitting();
        }
    }

    public CollaborationMetrics Metrics { get; }

    public DocumentStore Store { get; }

    public InstanceIdentity Identity { get; }

    public GroupCommitter Committer { get; }

    public DocumentHub Hub { get; }

    public void StartCommitting()
    {
        _committing = true;
        Committer.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>A document with <paramref name="text"/> at revision 0 and no owner yet.</summary>
    public static Task CreateAsync(DocumentStore store, DocumentKey key, string text) => store.CreateAsync(key, text, fileVersion: 1);

    public static CollabConnection Connect(Guid workspaceId, Guid? userId = null) =>
        new(workspaceId, userId ?? Guid.NewGuid(), "ana", null, 1 << 20);

    /// <summary>Joins a fresh connection to the document (opened here if need be) and returns it with the document.</summary>
    public async Task<(CollabConnection Connection, OpenDocument Document)> JoinAsync(DocumentKey key, Guid? userId = null)
    {
        var connection = Connect(key.WorkspaceId, userId);
        while (true)
        {
            var document = await Hub.OpenAsync(key);
            if (document.Join(connection, fromRevision: null, readOnly: false))
            {
                connection.Documents[key.Path] = document;
                return (connection, document);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_committing)
        {
            await Committer.StopAsync(CancellationToken.None);
        }
        Committer.Dispose();
        _files.Dispose();
        await _services.DisposeAsync();
    }
}
