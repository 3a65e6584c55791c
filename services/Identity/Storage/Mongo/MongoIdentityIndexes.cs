using MongoDB.Bson;
using MongoDB.Driver;

namespace WebIde.Identity.Storage.Mongo;

/// <summary>
/// The identity collections' indexes, created once per process before the first store call
/// (and warmed up at start by <see cref="MongoIdentityIndexInitializer"/>). The unique username
/// index must exist before the first registration, or two could slip in; so every store awaits
/// this, which costs nothing once it has succeeded, and retries after a failure.
/// </summary>
public sealed class MongoIdentityIndexes(IMongoDatabase database)
{
    internal const string UniqueUsernameIndex = "normalizedUsername_unique";
    internal const string UniqueMembershipIndex = "workspaceId_userId_unique";
    internal const string MembershipsByUserIndex = "userId";

    private readonly Lock _gate = new();
    private Task? _creation;

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

    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        Task creation;
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
            {
                // Not tied to one caller's token: every caller waits on the same creation.
                _creation = CreateAsync();
            }

            creation = _creation;
        }

        return creation.IsCompletedSuccessfully ? Task.CompletedTask : creation.WaitAsync(cancellationToken);
    }

    private async Task CreateAsync()
    {
        foreach (var collection in Definitions.GroupBy(definition => definition.Collection))
        {
            await database.GetCollection<BsonDocument>(collection.Key).Indexes
                .CreateManyAsync(collection.Select(definition => definition.Index));
        }
    }
}
