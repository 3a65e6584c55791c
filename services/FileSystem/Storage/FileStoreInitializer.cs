namespace WebIde.FileSystem.Storage;

/// <summary>Prepares the store (schema, indexes) before the service takes requests.</summary>
internal sealed class FileStoreInitializer(IFileStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        store is IInitializableStore initializable ? initializable.InitializeAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
