using MongoDB.Bson;
using MongoDB.Driver;

namespace WebIde.ServiceDefaults.Storage;

/// <summary>
/// A store's MongoDB indexes, created once per process. Stores await
/// <see cref="EnsureCreatedAsync"/> before the calls that rely on an index (a unique one
/// refusing a duplicate, say): it costs nothing once creation has succeeded, and a failed or
/// cancelled creation is tried again by the next caller.
/// </summary>
public abstract class MongoIndexSet(IMongoDatabase database)
{
    private readonly Lock _gate = new();
    private Task? _creation;

    /// <summary>Each index with the collection it belongs to.</summary>
    protected abstract IReadOnlyList<(string Collection, CreateIndexModel<BsonDocument> Index)> Indexes { get; }

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
        foreach (var collection in Indexes.GroupBy(definition => definition.Collection))
        {
            await database.GetCollection<BsonDocument>(collection.Key).Indexes
                .CreateManyAsync(collection.Select(definition => definition.Index));
        }
    }
}
