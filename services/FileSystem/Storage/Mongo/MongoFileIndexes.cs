using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.ServiceDefaults.Storage;
using static WebIde.FileSystem.Storage.Mongo.MongoFileDocuments;

namespace WebIde.FileSystem.Storage.Mongo;

/// <summary>
/// The filesystem collections' indexes, created once per process: at start
/// (<see cref="MongoFileStore.InitializeAsync"/>) and awaited again before every change, which
/// costs nothing once they exist and retries after a failure. The unique change numbering must
/// exist before the first change is logged: it is what refuses a second change with a number
/// already taken.
/// </summary>
internal sealed class MongoFileIndexes(IMongoDatabase database) : MongoIndexSet(database)
{
    internal const string EntriesByPathIndex = "workspaceId_path_unique";
    internal const string TombstonesByWorkspaceIndex = "workspaceId";
    internal const string ChangesBySequenceIndex = "workspaceId_sequence_unique";
    internal const string OutboxIndex = "published_at_workspaceId_sequence";
    internal const string OwnersByWorkspaceIndex = "workspaceId";
    internal const string OwnersByUserIndex = "userId";

    internal static IReadOnlyList<(string Collection, CreateIndexModel<BsonDocument> Index)> Definitions { get; } =
    [
        // Trees in path order, subtrees as range scans.
        (EntriesCollection, new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(WorkspaceIdField).Ascending(PathField),
            new CreateIndexOptions { Name = EntriesByPathIndex, Unique = true })),
        (TombstonesCollection, new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(WorkspaceIdField),
            new CreateIndexOptions { Name = TombstonesByWorkspaceIndex })),
        // Pages of one workspace's log; one change per number.
        (ChangesCollection, new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(WorkspaceIdField).Ascending(SequenceField),
            new CreateIndexOptions { Name = ChangesBySequenceIndex, Unique = true })),
        // The outbox's oldest unpublished changes, and the trim's old published ones.
        (ChangesCollection, new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(PublishedField).Ascending(AtField).Ascending(WorkspaceIdField).Ascending(SequenceField),
            new CreateIndexOptions { Name = OutboxIndex })),
        // A workspace's owners, and the workspaces a user owns: what an account quota check reads.
        (OwnersCollection, new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(WorkspaceIdField),
            new CreateIndexOptions { Name = OwnersByWorkspaceIndex })),
        (OwnersCollection, new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending(UserIdField),
            new CreateIndexOptions { Name = OwnersByUserIndex })),
    ];

    protected override IReadOnlyList<(string Collection, CreateIndexModel<BsonDocument> Index)> Indexes => Definitions;
}
