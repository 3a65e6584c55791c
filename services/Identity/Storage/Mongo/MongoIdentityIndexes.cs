using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Mongo;

/// <summary>
/// The identity collections' indexes, created once per process before the first store call
/// (and warmed up at start by <see cref="MongoIdentityIndexInitializer"/>). The unique username
/// index must exist before the first registration, or two could slip in; so every store awaits
/// this, which costs nothing once it has succeeded, and retries after a failure.
/// </summary>
public sealed class MongoIdentityIndexes(IMongoDatabase database) : MongoIndexSet(database)
{
    internal const string UniqueUsernameIndex = "normalizedUsername_unique";
    internal const string UniqueMembershipIndex = "workspaceId_userId_unique";
    internal const string MembershipsByUserIndex = "userId";

    internal static IReadOnlyList<(string Collection, CreateIndexModel<BsonDocument> Index)> Definitions { get; } =
    [
        (MongoUserStore.CollectionName, new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(MongoUserStore.NormalizedUsernameField),
            new CreateIndexOptions { Name = UniqueUsernameIndex, Unique = true })),
        (MongoWorkspaceStore.MembershipsCollectionName, new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(MongoWorkspaceStore.WorkspaceIdField).Ascending(MongoWorkspaceStore.UserIdField),
            new CreateIndexOptions { Name = UniqueMembershipIndex, Unique = true })),
        (MongoWorkspaceStore.MembershipsCollectionName, new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(MongoWorkspaceStore.UserIdField),
            new CreateIndexOptions { Name = MembershipsByUserIndex })),
    ];

    protected override IReadOnlyList<(string Collection, CreateIndexModel<BsonDocument> Index)> Indexes => Definitions;
}
