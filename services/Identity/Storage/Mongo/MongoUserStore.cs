using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Mongo;

public sealed class MongoUserStore(IMongoDatabase database, MongoIdentityIndexes indexes) : IUserStore
{
    internal const string CollectionName = "users";
    internal const string UsernameField = "username";
    internal const string NormalizedUsernameField = "normalizedUsername";
    internal const string PasswordHashField = "passwordHash";

    private readonly IMongoCollection<BsonDocument> _users = database.GetCollection<BsonDocument>(CollectionName);

    internal static BsonDocument ToDocument(UserAccount user) => new()
    {
        { "_id", MongoValues.Id(user.Id) },
        { UsernameField, user.Username },
        { NormalizedUsernameField, user.NormalizedUsername },
        { "displayName", user.DisplayName },
        { PasswordHashField, user.PasswordHash },
        { "createdAt", MongoValues.Time(user.CreatedAt) },
    };

    internal static UserAccount FromDocument(BsonDocument document) => new(
        MongoValues.ReadId(document["_id"]),
        document[UsernameField].AsString,
        document[NormalizedUsernameField].AsString,
        document["displayName"].AsString,
        document[PasswordHashField].AsString,
        MongoValues.ReadTime(document["createdAt"]));

    internal static FilterDefinition<BsonDocument> ByNormalizedUsername(string normalizedUsername) =>
        MongoValues.Filter.Eq(NormalizedUsernameField, normalizedUsername);

    public async Task<bool> TryCreateAsync(UserAccount user, CancellationToken cancellationToken)
    {
        // The unique index decides: it has to exist before the insert.
        await indexes.EnsureCreatedAsync(cancellationToken);
        try
        {
            await _users.InsertOneAsync(ToDocument(user), cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException exception) when (DuplicateKey.Is(exception))
        {
            return false;
        }
    }

    public Task<UserAccount?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        FindAsync(ByNormalizedUsername(normalizedUsername), cancellationToken);

    public Task<UserAccount?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        FindAsync(MongoValues.ById(MongoValues.Id(id)), cancellationToken);

    public async Task<bool> TryReplacePasswordHashAsync(Guid id, string currentHash, string newHash, CancellationToken cancellationToken)
    {
        var filter = MongoValues.ById(MongoValues.Id(id)) & MongoValues.Filter.Eq(PasswordHashField, currentHash);
        var result = await _users.UpdateOneAsync(filter, Builders<BsonDocument>.Update.Set(PasswordHashField, newHash), cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }

    private async Task<UserAccount?> FindAsync(FilterDefinition<BsonDocument> filter, CancellationToken cancellationToken)
    {
        var document = await _users.Find(filter).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : FromDocument(document);
    }
}
