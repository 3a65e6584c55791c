using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>A database of its own on the server that <c>WEBIDE_TEST_MONGODB</c> names, dropped afterwards.</summary>
public sealed class MongoHarness(string connectionString) : FileStoreHarness
{
    private string? _databaseName;

    public override string AdapterPrefix => "Mongo";

    public override Task<byte[]?> ReadStoredContentAsync(Guid workspaceId, string path) =>
        MongoStoredContent.ReadAsync(Services.GetRequiredService<IMongoDatabase>(), workspaceId, path);

    public override Task WriteStoredContentAsync(Guid workspaceId, string path, byte[] stored) =>
        MongoStoredContent.WriteAsync(Services.GetRequiredService<IMongoDatabase>(), workspaceId, path, stored);

    protected override string CreateStore()
    {
        _databaseName = $"webide-filesystem-test-{Guid.NewGuid():N}";
        return new MongoUrlBuilder(connectionString) { DatabaseName = _databaseName }.ToMongoUrl().ToString();
    }

    protected override async Task DropStoreAsync(IServiceProvider services)
    {
        if (_databaseName is not null)
        {
            await services.GetRequiredService<IMongoClient>().DropDatabaseAsync(_databaseName);
        }
    }
}
