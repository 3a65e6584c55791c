using MongoDB.Bson;
using MongoDB.Driver;

namespace WebIde.Identity.Storage.Mongo;

/// <summary>Keys are listed oldest first (then by id), the same order in every adapter.</summary>
public sealed class MongoSigningKeyStore(IMongoDatabase database, StoredPrivateKey privateKeys) : ISigningKeyStore
{
    internal const string CollectionName = "signingKeys";

    private readonly IMongoCollection<BsonDocument> _keys = database.GetCollection<BsonDocument>(CollectionName);

    internal static SortDefinition<BsonDocument> Order { get; } =
        Builders<BsonDocument>.Sort.Ascending("createdAt").Ascending("_id");

    internal static BsonDocument ToDocument(SigningKeyRecord key) => new()
    {
        { "_id", key.KeyId },
        { "algorithm", key.Algorithm },
        { "privateKeyPkcs8", new BsonBinaryData(key.PrivateKeyPkcs8, BsonBinarySubType.Binary) },
        { "createdAt", MongoValues.Time(key.CreatedAt) },
        { "retiresAt", MongoValues.Time(key.RetiresAt) },
    };

    internal static SigningKeyRecord FromDocument(BsonDocument document) => new(
        document["_id"].AsString,
        document["algorithm"].AsString,
        document["privateKeyPkcs8"].AsBsonBinaryData.Bytes,
        MongoValues.ReadTime(document["createdAt"]),
        MongoValues.ReadTime(document["retiresAt"]));

    public async Task<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var documents = await _keys.Find(FilterDefinition<BsonDocument>.Empty).Sort(Order).ToListAsync(cancellationToken);
        return documents.Select(FromDocument).Select(key => key with { PrivateKeyPkcs8 = privateKeys.Open(key.PrivateKeyPkcs8) }).ToList();
    }

    public Task AddAsync(SigningKeyRecord key, CancellationToken cancellationToken) =>
        _keys.InsertOneAsync(ToDocument(key with { PrivateKeyPkcs8 = privateKeys.Seal(key.PrivateKeyPkcs8) }), cancellationToken: cancellationToken);
}
