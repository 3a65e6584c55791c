namespace WebIde.FileSystem.Storage;

/// <summary>An adapter with one-off preparation (indexes, schema) to do at start.</summary>
public interface IInitializableStore
{
    Task InitializeAsync(CancellationToken cancellationToken);
}
