using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>A real SQLite file in a temp folder of its own, removed afterwards.</summary>
public sealed class SqliteHarness : FileStoreHarness
{
    private readonly SqliteStoreFolder _store = new("filesystem");

    public override string AdapterPrefix => "Sqlite";

    protected override string CreateStore() => _store.Create();

    protected override Task DropStoreAsync(IServiceProvider services)
    {
        _store.Drop();
        return Task.CompletedTask;
    }
}
