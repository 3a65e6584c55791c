using MongoDB.Driver;

namespace WebIde.FileSystem.UnitTests.Storage.MongoEmulator;

/// <summary>A cursor over results already in hand, handed out as one batch.</summary>
internal sealed class SingleBatchCursor<T>(IReadOnlyList<T> documents) : IAsyncCursor<T>
{
    private int _moves;

    public IEnumerable<T> Current => _moves == 1 ? documents : throw new InvalidOperationException("No current batch.");

    public bool MoveNext(CancellationToken cancellationToken = default) => ++_moves == 1;

    public Task<bool> MoveNextAsync(CancellationToken cancellationToken = default) => Task.FromResult(MoveNext(cancellationToken));

    public void Dispose()
    {
    }
}
