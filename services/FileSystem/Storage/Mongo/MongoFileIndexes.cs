using MongoDB.Bson;
using MongoDB.Driver;
using static WebIde.FileSystem.Storage.Mongo.MongoFileDocuments;

namespace WebIde.FileSystem.Storage.Mongo;

/// <summary>
/// The filesystem collections' indexes, created once per process: at start
/// (<see cref="MongoFileStore.InitializeAsync"/>) and awaited again before every change, which
/// costs nothing once they exist and retries after a failure. The unique change numbering must
/// exist before the first change is logged: it is what refuses a second change with a number
/// already taken.
/// </summary>
internal sealed class MongoFileIndexes(IMongoDatabase database)
{
    internal const string EntriesByPathIndex = "workspaceId_path_unique";
    internal const string TombstonesByWorkspaceIndex = "workspaceId";
    internal const string ChangesBySequenceIndex = "workspaceId_sequence_unique";
    internal const string OutboxIndex = "published_at_workspaceId_sequence";

    private readonly Lock _gate = new();
    private Task? _creation;

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
