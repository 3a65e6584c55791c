using MongoDB.Bson;
using MongoDB.Driver;

namespace WebIde.FileSystem.Storage.Mongo;

/// <summary>
/// How the filesystem documents spell values, written by hand rather than through class maps
/// so no global convention or Guid representation setting elsewhere in the process can change
/// them: ids are lower-case Guid strings, times BSON dates (millisecond precision), counters
/// 64-bit integers, kinds the API's words (docs/api.md §3), content generic binary.
/// </summary>
internal static class MongoValues
{
    public static FilterDefinitionBuilder<BsonDocument> Filter => Builders<BsonDocument>.Filter;

    public static UpdateDefinitionBuilder<BsonDocument> Update => Builders<BsonDocument>.Update;

    public static SortDefinitionBuilder<BsonDocument> Sort => Builders<BsonDocument>.Sort;

    public static ProjectionDefinitionBuilder<BsonDocument> Projection => Builders<BsonDocument>.Projection;

    public static BsonString Id(Guid id) => new(id.ToString("D"));

    public static Guid ReadId(BsonValue value) => Guid.ParseExact(value.AsString, "D");

    /// <summary>The key of a path in one workspace: entries and tombstones are keyed <c>workspace/path</c>.</summary>
    public static BsonString Key(Guid workspaceId, string path) => new($"{workspaceId:D}/{path}");

    /// <summary>Cut to the millisecond a BSON date keeps, so what a call returns is what is read back.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    public static BsonDateTime Time(DateTimeOffset time) => new(time.ToUnixTimeMilliseconds());

    public static BsonValue Time(DateTimeOffset? time) => time is { } value ? Time(value) : BsonNull.Value;

    public static DateTimeOffset ReadTime(BsonValue value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.AsBsonDateTime.MillisecondsSinceEpoch);

    public static DateTimeOffset? ReadNullableTime(BsonValue value) => value.IsBsonNull ? null : ReadTime(value);

    public static BsonValue Number(long? value) => value is { } number ? new BsonInt64(number) : BsonNull.Value;

    /// <summary>Whatever integer width the server kept (<c>$inc</c> may widen), as a long.</summary>
    public static long? ReadNullableNumber(BsonValue value) => value.IsBsonNull ? null : value.ToInt64();

    public static BsonString Word(EntryType type) => type switch
    {
        EntryType.File => "file",
        EntryType.Directory => "directory",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an entry type."),
    };

    public static EntryType ReadEntryType(BsonValue value) => value.AsString switch
    {
        "file" => EntryType.File,
        "directory" => EntryType.Directory,
        var other => throw new InvalidDataException($"Unknown entry type '{other}' in the store."),
    };

    public static BsonString Word(ChangeType type) => type switch
    {
        ChangeType.Created => "created",
        ChangeType.Changed => "changed",
        ChangeType.Deleted => "deleted",
        ChangeType.Moved => "moved",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a change type."),
    };

    public static ChangeType ReadChangeType(BsonValue value) => value.AsString switch
    {
        "created" => ChangeType.Created,
        "changed" => ChangeType.Changed,
        "deleted" => ChangeType.Deleted,
        "moved" => ChangeType.Moved,
        var other => throw new InvalidDataException($"Unknown change type '{other}' in the store."),
    };

    public static FilterDefinition<BsonDocument> ById(BsonValue id) => Filter.Eq("_id", id);
}
