using MongoDB.Bson;
using MongoDB.Driver;

namespace WebIde.Identity.Storage.Mongo;

/// <summary>
/// How the identity documents spell values, written by hand rather than through class maps so
/// no global convention or Guid representation setting elsewhere in the process can change
/// them: ids are lower-case Guid strings, times BSON dates (millisecond precision), roles the
/// API's words (docs/api.md §2).
/// </summary>
internal static class MongoValues
{
    public static FilterDefinitionBuilder<BsonDocument> Filter => Builders<BsonDocument>.Filter;

    public static UpdateDefinitionBuilder<BsonDocument> Update => Builders<BsonDocument>.Update;

    public static BsonString Id(Guid id) => new(id.ToString("D"));

    public static Guid ReadId(BsonValue value) => Guid.ParseExact(value.AsString, "D");

    public static BsonDateTime Time(DateTimeOffset time) => new(time.ToUnixTimeMilliseconds());

    public static BsonValue Time(DateTimeOffset? time) => time is { } value ? Time(value) : BsonNull.Value;

    public static DateTimeOffset ReadTime(BsonValue value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.AsBsonDateTime.MillisecondsSinceEpoch);

    public static DateTimeOffset? ReadNullableTime(BsonValue value) => value.IsBsonNull ? null : ReadTime(value);

    public static BsonString Role(WorkspaceRole role) => role switch
    {
        WorkspaceRole.Owner => "owner",
        WorkspaceRole.Editor => "editor",
        WorkspaceRole.Viewer => "viewer",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a workspace role."),
    };

    public static WorkspaceRole ReadRole(BsonValue value) => value.AsString switch
    {
        "owner" => WorkspaceRole.Owner,
        "editor" => WorkspaceRole.Editor,
        "viewer" => WorkspaceRole.Viewer,
        var other => throw new InvalidDataException($"Unknown workspace role '{other}' in the store."),
    };

    public static FilterDefinition<BsonDocument> ById(BsonValue id) => Filter.Eq("_id", id);
}
