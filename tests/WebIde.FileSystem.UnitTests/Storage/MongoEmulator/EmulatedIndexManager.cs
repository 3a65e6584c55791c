using System.Reflection;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace WebIde.FileSystem.UnitTests.Storage.MongoEmulator;

/// <summary>Index creation for <see cref="EmulatedMongoCollection"/>: remembers the unique ones, which the collection then enforces.</summary>
public class EmulatedIndexManager : DispatchProxy
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    private Action<string[]> _addUnique = _ => { };

    internal static IMongoIndexManager<BsonDocument> Create(Action<string[]> addUnique)
    {
        var manager = Create<IMongoIndexManager<BsonDocument>, EmulatedIndexManager>();
        ((EmulatedIndexManager)(object)manager)._addUnique = addUnique;
        return manager;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name != "CreateManyAsync" || args is not [IEnumerable<CreateIndexModel<BsonDocument>> models, CancellationToken])
        {
            throw new NotSupportedException($"The emulator has no {targetMethod}.");
        }

        var names = new List<string>();
        foreach (var model in models)
        {
            var keys = model.Keys.Render(Args);
            if (model.Options?.Unique == true)
            {
                _addUnique([.. keys.Names]);
            }
            names.Add(model.Options?.Name ?? string.Join('_', keys.Names));
        }
        return Task.FromResult<IEnumerable<string>>(names);
    }
}
