using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.Identity.Storage.Mongo;

namespace WebIde.Identity.UnitTests.Storage;

/// <summary>A database of its own on the server that <c>WEBIDE_TEST_MONGODB</c> names, dropped afterwards.</summary>
public sealed class MongoHarness(string connectionString) : IdentityStoreHarness
{
    private string? _databaseName;

    public override TimeSpan TimePrecision => TimeSpan.FromMilliseconds(1);

    public override string AdapterPrefix => "Mongo";

    public override async Task<byte[]?> ReadStoredPrivateKeyAsync(string keyId)
    {
        var keys = Services.GetRequiredService<IMongoDatabase>().GetCollection<BsonDocument>(MongoSigningKeyStore.CollectionName);
        var document = await keys.Find(Builders<BsonDocument>.Filter.Eq("_id", keyId)).FirstOrDefaultAsync();
        return document?["privateKeyPkcs8"].AsBsonBinaryData.Bytes;
    }

    protected override string CreateStore()
    {
        _databaseName = $"webide-identity-test-{Guid.NewGuid():N}";
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
