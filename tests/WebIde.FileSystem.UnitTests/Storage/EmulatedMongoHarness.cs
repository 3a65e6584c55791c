using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using WebIde.FileSystem.UnitTests.Storage.MongoEmulator;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>
/// The MongoDB adapter, composed for a MongoDB store as the service composes it, over an
/// in-memory <see cref="EmulatedMongoDatabase"/> instead of a server: what it proves is the
/// adapter's own logic; a real server (<see cref="MongoHarness"/>) proves the rest.
/// </summary>
public sealed class EmulatedMongoHarness : FileStoreHarness
{
    public override string AdapterPrefix => "Mongo";

    public override Task<byte[]?> ReadStoredContentAsync(Guid workspaceId, string path) =>
        MongoStoredContent.ReadAsync(Services.GetRequiredService<IMongoDatabase>(), workspaceId, path);

    public override Task WriteStoredContentAsync(Guid workspaceId, string path, byte[] stored) =>
        MongoStoredContent.WriteAsync(Services.GetRequiredService<IMongoDatabase>(), workspaceId, path, stored);

    // Never dialled: the database it names is replaced.
    protected override string CreateStore() => "mongodb://127.0.0.1:1/webide-filesystem-emulated";

    protected override void ReplaceServices(IServiceCollection services) =>
        services.AddSingleton(EmulatedMongoDatabase.Create());

    protected override Task DropStoreAsync(IServiceProvider services) => Task.CompletedTask;
}
