using Microsoft.Extensions.DependencyInjection;
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

    // Never dialled: the database it names is replaced.
    protected override string CreateStore() => "mongodb://127.0.0.1:1/webide-filesystem-emulated";

    protected override void ReplaceServices(IServiceCollection services) =>
        services.AddSingleton(EmulatedMongoDatabase.Create());

    protected override Task DropStoreAsync(IServiceProvider services) => Task.CompletedTask;
}
