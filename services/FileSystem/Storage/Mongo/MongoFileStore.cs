using Microsoft.Extensions.Options;
using MongoDB.Driver;
using WebIde.FileSystem.Files;

namespace WebIde.FileSystem.Storage.Mongo;

public sealed class MongoFileStore(IMongoDatabase database, IOptions<FileLimits> limits, TimeProvider time) : IFileStore
{
    public Task<IReadOnlyList<TreeEntry>> ListTreeAsync(Guid workspaceId, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<StoredFile?> ReadFileAsync(Guid workspaceId, string path, CancellationToken cancellationToken) => throw new NotImplementedException();
    public IAsyncEnumerable<StoredFile> ReadAllFilesAsync(Guid workspaceId, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<FileMutation> WriteFileAsync(FileWrite write, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<FileMutation> CreateDirectoryAsync(Guid workspaceId, string path, Guid userId, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<FileMutation> DeleteAsync(Guid workspaceId, string path, long? expectedVersion, Guid userId, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<FileMutation> MoveAsync(Guid workspaceId, string from, string to, bool overwrite, Guid userId, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task DeleteWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<WorkspaceUsage> GetUsageAsync(Guid workspaceId, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<ChangePage> ReadChangesAsync(Guid workspaceId, long afterSequence, int limit, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<IReadOnlyList<FileChange>> ReadUnpublishedChangesAsync(int limit, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task MarkPublishedAsync(IReadOnlyCollection<FileChange> changes, CancellationToken cancellationToken) => throw new NotImplementedException();
    public Task<int> TrimChangesAsync(DateTimeOffset before, CancellationToken cancellationToken) => throw new NotImplementedException();
    internal IMongoDatabase Database => database;
    internal FileLimits Limits => limits.Value;
    internal TimeProvider Time => time;
}
