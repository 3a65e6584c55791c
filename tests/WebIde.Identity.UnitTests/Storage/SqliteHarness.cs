using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests.Storage;

/// <summary>A real SQLite file in a temp folder of its own, removed afterwards.</summary>
public sealed class SqliteHarness : IdentityStoreHarness
{
    private readonly SqliteStoreFolder _store = new("identity");

    public override string AdapterPrefix => "Sqlite";

    public override TimeSpan TimePrecision => TimeSpan.FromTicks(1);

    protected override string CreateStore() => _store.Create();

    protected override Task DropStoreAsync(IServiceProvider services)
    {
        _store.Drop();
        return Task.CompletedTask;
    }
}
