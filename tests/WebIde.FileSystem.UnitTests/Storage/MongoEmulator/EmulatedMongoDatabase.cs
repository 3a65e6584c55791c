using System.Collections.Concurrent;
using System.Reflection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace WebIde.FileSystem.UnitTests.Storage.MongoEmulator;

/// <summary>
/// An <see cref="IMongoDatabase"/> in memory whose collections are <see cref="EmulatedMongoCollection"/>s,
/// all behind one lock: every call is atomic, nothing spans two calls.
/// </summary>
public class EmulatedMongoDatabase : DispatchProxy
{
    private readonly ConcurrentDictionary<string, IMongoCollection<BsonDocument>> _collections = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public static IMongoDatabase Create() => Create<IMongoDatabase, EmulatedMongoDatabase>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => (targetMethod?.Name, args) switch
    {
        ("GetCollection", [string name, _]) when targetMethod.GetGenericArguments() is [var type] && type == typeof(BsonDocument) =>
            _collections.GetOrAdd(name, collection => EmulatedMongoCollection.Create(_gate, collection)),
        ("get_DatabaseNamespace", _) => new DatabaseNamespace("emulated"),
        _ => throw new NotSupportedException($"The emulator has no {targetMethod}."),
    };
}
