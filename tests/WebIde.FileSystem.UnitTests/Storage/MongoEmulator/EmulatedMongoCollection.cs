using System.Net;
using System.Reflection;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace WebIde.FileSystem.UnitTests.Storage.MongoEmulator;

/// <summary>
/// An <see cref="IMongoCollection{TDocument}"/> of BSON documents in memory, with the calls
/// the filesystem adapter makes and no others (the rest throw). Each call is atomic and
/// yields first, so concurrent callers interleave between calls as they would on a server;
/// unique indexes (and <c>_id</c>) are enforced, a duplicate answered with error 11000.
/// </summary>
public class EmulatedMongoCollection : DispatchProxy
{
    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("emulator", 27017)));

    private readonly List<BsonDocument> _documents = [];
    private readonly List<string[]> _uniqueKeys = [["_id"]];
    private object _gate = new();
    private string _name = "";
    private IMongoIndexManager<BsonDocument>? _indexes;

    internal static IMongoCollection<BsonDocument> Create(object gate, string name)
    {
        var collection = Create<IMongoCollection<BsonDocument>, EmulatedMongoCollection>();
        var emulated = (EmulatedMongoCollection)(object)collection;
        emulated._gate = gate;
        emulated._name = name;
        emulated._indexes = EmulatedIndexManager.Create(emulated.AddUniqueIndex);
        return collection;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod ?? throw new ArgumentNullException(nameof(targetMethod));
        var a = args ?? [];
        if (method.GetParameters().FirstOrDefault()?.ParameterType == typeof(IClientSessionHandle))
        {
            throw new NotSupportedException("The emulator has no sessions.");
        }

        return (method.Name, a.Length) switch
        {
            ("get_Indexes", 0) => _indexes,
            ("get_CollectionNamespace", 0) => new CollectionNamespace("emulated", _name),
            ("get_DocumentSerializer", 0) => BsonDocumentSerializer.Instance,
            ("FindAsync", 3) => Atomically<IAsyncCursor<BsonDocument>>(() =>
                new SingleBatchCursor<BsonDocument>(Find(Filter(a[0]), (FindOptions<BsonDocument, BsonDocument>?)a[1]))),
            ("FindOneAndUpdateAsync", 4) => Atomically(() =>
                FindOneAndUpdate(Filter(a[0]), Update(a[1]), (FindOneAndUpdateOptions<BsonDocument, BsonDocument>?)a[2])),
            ("InsertOneAsync", 2 or 3) => Atomically(() => Insert([(BsonDocument)a[0]!])),
            ("InsertManyAsync", 3) => Atomically(() => Insert(NotEmpty(((IEnumerable<BsonDocument>)a[0]!).ToList()))),
            ("UpdateOneAsync", 4) => Atomically<UpdateResult>(() => UpdateOne(Filter(a[0]), Update(a[1]), (a[2] as UpdateOptions)?.IsUpsert ?? false)),
            ("DeleteOneAsync", 2 or 3) => Atomically<DeleteResult>(() => new DeleteResult.Acknowledged(Delete(Filter(a[0]), justOne: true))),
            ("DeleteManyAsync", 2 or 3) => Atomically<DeleteResult>(() => new DeleteResult.Acknowledged(Delete(Filter(a[0]), justOne: false))),
            ("BulkWriteAsync", 3) => Atomically(() => BulkWrite(NotEmpty(((IEnumerable<WriteModel<BsonDocument>>)a[0]!).ToList()))),
            ("AggregateAsync", 3) => Atomically<IAsyncCursor<BsonDocument>>(() =>
                new SingleBatchCursor<BsonDocument>(Aggregate((PipelineDefinition<BsonDocument, BsonDocument>)a[0]!))),
            _ => throw new NotSupportedException($"The emulator has no {method}."),
        };
    }

    private async Task<T> Atomically<T>(Func<T> operation)
    {
        await Task.Yield();
        lock (_gate)
        {
            return operation();
        }
    }

    private List<BsonDocument> Find(BsonDocument filter, FindOptions<BsonDocument, BsonDocument>? options)
    {
        IEnumerable<BsonDocument> found = Matching(filter, options?.Sort?.Render(Args));
        if (options?.Skip is > 0)
        {
            found = found.Skip(options.Skip.Value);
        }
        if (options?.Limit is > 0)
        {
            found = found.Take(options.Limit.Value);
        }
        var projection = options?.Projection?.Render(Args).Document;
        return found.Select(document => BsonQuery.Project(document, projection)).ToList();
    }

    private BsonDocument? FindOneAndUpdate(BsonDocument filter, BsonValue update, FindOneAndUpdateOptions<BsonDocument, BsonDocument>? options)
    {
        var projection = options?.Projection?.Render(Args).Document;
        var before = options?.ReturnDocument != ReturnDocument.After;
        var found = Matching(filter, options?.Sort?.Render(Args)).FirstOrDefault();
        if (found is not null)
        {
            var updated = Updated(found, update, inserting: false);
            Replace(found, updated);
            return BsonQuery.Project(before ? found : updated, projection);
        }
        if (options?.IsUpsert != true)
        {
            return null;
        }

        var created = Upserted(filter, update);
        return before ? null : BsonQuery.Project(created, projection);
    }

    private UpdateResult UpdateOne(BsonDocument filter, BsonValue update, bool upsert)
    {
        var found = Matching(filter, null).FirstOrDefault();
        if (found is not null)
        {
            var updated = Updated(found, update, inserting: false);
            var modified = !updated.Equals(found);
            Replace(found, updated);
            return new UpdateResult.Acknowledged(1, modified ? 1 : 0, null);
        }
        if (!upsert)
        {
            return new UpdateResult.Acknowledged(0, 0, null);
        }

        return new UpdateResult.Acknowledged(0, 0, Upserted(filter, update)["_id"]);
    }

    private long UpdateMany(BsonDocument filter, BsonValue update, bool upsert)
    {
        var found = Matching(filter, null).ToList();
        foreach (var document in found)
        {
            Replace(document, Updated(document, update, inserting: false));
        }
        if (found.Count == 0 && upsert)
        {
            Upserted(filter, update);
        }
        return found.Count;
    }

    private bool Insert(IReadOnlyList<BsonDocument> documents)
    {
        foreach (var document in documents)
        {
            if (!document.Contains("_id"))
            {
                // As the driver does before sending.
                document.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
            }
            var copy = document.DeepClone().AsBsonDocument;
            EnsureUnique(copy, except: null);
            _documents.Add(copy);
        }
        return true;
    }

    private long Delete(BsonDocument filter, bool justOne)
    {
        var doomed = Matching(filter, null).Take(justOne ? 1 : int.MaxValue).ToList();
        foreach (var document in doomed)
        {
            _documents.Remove(document);
        }
        return doomed.Count;
    }

    private BulkWriteResult<BsonDocument>? BulkWrite(IEnumerable<WriteModel<BsonDocument>> requests)
    {
        foreach (var request in requests)
        {
            switch (request)
            {
                case UpdateOneModel<BsonDocument> one:
                    UpdateOne(one.Filter.Render(Args), one.Update.Render(Args), one.IsUpsert);
                    break;
                case UpdateManyModel<BsonDocument> many:
                    UpdateMany(many.Filter.Render(Args), many.Update.Render(Args), many.IsUpsert);
                    break;
                case InsertOneModel<BsonDocument> insert:
                    Insert([insert.Document]);
                    break;
                default:
                    throw new NotSupportedException($"The emulator has no bulk {request.ModelType}.");
            }
        }
        // The adapter reads nothing of the result.
        return null;
    }

    private List<BsonDocument> Aggregate(PipelineDefinition<BsonDocument, BsonDocument> pipeline)
    {
        IEnumerable<BsonDocument> documents = _documents;
        foreach (var stage in pipeline.Render(Args).Documents)
        {
            var (name, argument) = (stage.GetElement(0).Name, stage.GetElement(0).Value.AsBsonDocument);
            documents = name switch
            {
                "$match" => documents.Where(document => BsonQuery.Matches(document, argument)).ToList(),
                "$group" => Group(documents.ToList(), argument),
                _ => throw new NotSupportedException($"The emulator has no stage {name}."),
            };
        }
        return documents.Select(document => document.DeepClone().AsBsonDocument).ToList();
    }

    /// <summary>One group (a constant <c>_id</c>) with <c>$sum</c> accumulators, which skip what is not a number.</summary>
    private static List<BsonDocument> Group(List<BsonDocument> documents, BsonDocument group)
    {
        if (group["_id"] is BsonString { Value: ['$', ..] })
        {
            throw new NotSupportedException("The emulator groups by a constant only.");
        }
        if (documents.Count == 0)
        {
            return [];
        }

        var result = new BsonDocument("_id", group["_id"]);
        foreach (var accumulator in group.Where(element => element.Name != "_id"))
        {
            var (name, operand) = (accumulator.Value.AsBsonDocument.GetElement(0).Name, accumulator.Value.AsBsonDocument.GetElement(0).Value);
            if (name != "$sum")
            {
                throw new NotSupportedException($"The emulator has no accumulator {name}.");
            }
            var values = operand is BsonString { Value: ['$', .. var field] }
                ? documents.Select(document => document.GetValue(field, BsonNull.Value)).Where(value => value.IsNumeric)
                : documents.Select(_ => operand);
            result[accumulator.Name] = values.All(value => value.IsInt32 || value.IsInt64)
                ? new BsonInt64(values.Sum(value => value.ToInt64()))
                : new BsonDouble(values.Sum(value => value.ToDouble()));
        }
        return [result];
    }

    private IEnumerable<BsonDocument> Matching(BsonDocument filter, BsonDocument? sort)
    {
        var found = _documents.Where(document => BsonQuery.Matches(document, filter));
        return sort is null ? found.ToList() : found.Order(Comparer<BsonDocument>.Create((left, right) => BsonQuery.Compare(left, right, sort))).ToList();
    }

    private static BsonDocument Updated(BsonDocument document, BsonValue update, bool inserting)
    {
        var updated = document.DeepClone().AsBsonDocument;
        BsonQuery.Apply(updated, update, inserting);
        if (!updated["_id"].Equals(document["_id"]))
        {
            throw new InvalidOperationException("An update may not change _id.");
        }
        return updated;
    }

    private BsonDocument Upserted(BsonDocument filter, BsonValue update)
    {
        var created = BsonQuery.Seed(filter);
        BsonQuery.Apply(created, update, inserting: true);
        if (!created.Contains("_id"))
        {
            created.InsertAt(0, new BsonElement("_id", ObjectId.GenerateNewId()));
        }
        EnsureUnique(created, except: null);
        _documents.Add(created);
        return created;
    }

    private void Replace(BsonDocument current, BsonDocument updated)
    {
        EnsureUnique(updated, except: current);
        _documents[_documents.IndexOf(current)] = updated;
    }

    private void EnsureUnique(BsonDocument document, BsonDocument? except)
    {
        foreach (var key in _uniqueKeys)
        {
            var clash = _documents.FirstOrDefault(other => !ReferenceEquals(other, except)
                && key.All(field => BsonQuery.SameKey(other.GetValue(field, BsonNull.Value), document.GetValue(field, BsonNull.Value))));
            if (clash is not null)
            {
                var message = $"E11000 duplicate key error collection: emulated.{_name} index: {string.Join('_', key)} dup key";
                throw new MongoCommandException(Connection, message, new BsonDocument(), new BsonDocument
                {
                    { "ok", 0 },
                    { "errmsg", message },
                    { "code", 11000 },
                    { "codeName", "DuplicateKey" },
                });
            }
        }
    }

    private void AddUniqueIndex(string[] key)
    {
        lock (_gate)
        {
            if (!_uniqueKeys.Any(existing => existing.SequenceEqual(key)))
            {
                _uniqueKeys.Add(key);
            }
        }
    }

    /// <summary>As the driver refuses them, before anything reaches a server.</summary>
    private static List<T> NotEmpty<T>(List<T> requests) =>
        requests.Count > 0 ? requests : throw new ArgumentException("Must contain at least 1 request.", nameof(requests));

    private static BsonDocument Filter(object? filter) => ((FilterDefinition<BsonDocument>)filter!).Render(Args);

    private static BsonValue Update(object? update) => ((UpdateDefinition<BsonDocument>)update!).Render(Args);
}
