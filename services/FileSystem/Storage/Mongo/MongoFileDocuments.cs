using MongoDB.Bson;

namespace WebIde.FileSystem.Storage.Mongo;

/// <summary>
/// The filesystem's documents, in six collections:
/// <list type="bullet">
/// <item><c>entries</c>: one per file or directory, <c>{ _id: "workspace/path", workspaceId, path, type, size, version, modifiedAt, sequence, content }</c>;
/// a directory's size, version, time and content are null.</item>
/// <item><c>tombstones</c>: the last version a path held before its file went, <c>{ _id: "workspace/path", workspaceId, path, version }</c>.</item>
/// <item><c>changes</c>: the change log and outbox, <c>{ _id: "workspace:sequence", workspaceId, sequence, type, entryType, path, from, version, size, userId, at, published }</c>.</item>
/// <item><c>workspaces</c>: counters and the mutation lease, <c>{ _id: workspace, lastSequence, bytes, entries, lastChangeAt, leaseOwner?, leaseUntil?, needsRepair? }</c>.</item>
/// <item><c>owners</c>: who owns a workspace since when, <c>{ _id: "workspace/user", workspaceId, userId, since }</c> (<see cref="AccountQuota"/>).</item>
/// <item><c>accounts</c>: the lease under which a write that adds bytes checks its paying account, <c>{ _id: user, leaseOwner?, leaseUntil? }</c>.</item>
/// </list>
/// </summary>
internal static class MongoFileDocuments
{
    public const string EntriesCollection = "entries";
    public const string TombstonesCollection = "tombstones";
    public const string ChangesCollection = "changes";
    public const string WorkspacesCollection = "workspaces";
    public const string OwnersCollection = "owners";
    public const string AccountsCollection = "accounts";

    public const string WorkspaceIdField = "workspaceId";
    public const string PathField = "path";
    public const string TypeField = "type";
    public const string SizeField = "size";
    public const string VersionField = "version";
    public const string ModifiedAtField = "modifiedAt";
    public const string SequenceField = "sequence";
    public const string ContentField = "content";

    public const string EntryTypeField = "entryType";
    public const string FromField = "from";
    public const string UserIdField = "userId";
    public const string AtField = "at";
    public const string PublishedField = "published";

    public const string LastSequenceField = "lastSequence";
    public const string BytesField = "bytes";
    public const string EntriesField = "entries";
    public const string LastChangeAtField = "lastChangeAt";
    public const string LeaseOwnerField = "leaseOwner";
    public const string LeaseUntilField = "leaseUntil";
    public const string NeedsRepairField = "needsRepair";
    public const string DeletedField = "deleted";

    public const string SinceField = "since";

    /// <summary><paramref name="storedContent"/> is as it is kept (<see cref="StoredContent"/>); <paramref name="size"/> is the file's.</summary>
    public static BsonDocument ToFileDocument(Guid workspaceId, string path, byte[] storedContent, long size, long version, DateTimeOffset modifiedAt, long sequence) => new()
    {
        { "_id", MongoValues.Key(workspaceId, path) },
        { WorkspaceIdField, MongoValues.Id(workspaceId) },
        { PathField, path },
        { TypeField, MongoValues.Word(EntryType.File) },
        { SizeField, new BsonInt64(size) },
        { VersionField, new BsonInt64(version) },
        { ModifiedAtField, MongoValues.Time(modifiedAt) },
        { SequenceField, new BsonInt64(sequence) },
        { ContentField, new BsonBinaryData(storedContent, BsonBinarySubType.Binary) },
    };

    public static BsonDocument ToDirectoryDocument(Guid workspaceId, string path, long sequence) => new()
    {
        { "_id", MongoValues.Key(workspaceId, path) },
        { WorkspaceIdField, MongoValues.Id(workspaceId) },
        { PathField, path },
        { TypeField, MongoValues.Word(EntryType.Directory) },
        // Present and null, as in a file's document: every entry has the same fields.
        { SizeField, BsonNull.Value },
        { VersionField, BsonNull.Value },
        { ModifiedAtField, BsonNull.Value },
        { SequenceField, new BsonInt64(sequence) },
        { ContentField, BsonNull.Value },
    };

    public static StoredFile StoredFileFromDocument(BsonDocument document, StoredContent content) => new(
        document[PathField].AsString,
        content.Open(document[ContentField].AsBsonBinaryData.Bytes),
        document[VersionField].ToInt64(),
        MongoValues.ReadTime(document[ModifiedAtField]),
        document[SequenceField].ToInt64());

    public static TreeEntry TreeEntryFromDocument(BsonDocument document) =>
        MongoValues.ReadEntryType(document[TypeField]) == EntryType.Directory
            ? new TreeEntry(document[PathField].AsString, EntryType.Directory, null, null, null)
            : new TreeEntry(
                document[PathField].AsString,
                EntryType.File,
                document[SizeField].ToInt64(),
                document[VersionField].ToInt64(),
                MongoValues.ReadTime(document[ModifiedAtField]));

    public static StoredEntry EntryFromDocument(BsonDocument document) => new(
        document[PathField].AsString,
        MongoValues.ReadEntryType(document[TypeField]),
        MongoValues.ReadNullableNumber(document.GetValue(SizeField, BsonNull.Value)),
        MongoValues.ReadNullableNumber(document.GetValue(VersionField, BsonNull.Value)));

    public static BsonString ChangeKey(Guid workspaceId, long sequence) => new($"{workspaceId:D}:{sequence}");

    public static BsonDocument ToChangeDocument(FileChange change) => new()
    {
        { "_id", ChangeKey(change.WorkspaceId, change.Sequence) },
        { WorkspaceIdField, MongoValues.Id(change.WorkspaceId) },
        { SequenceField, new BsonInt64(change.Sequence) },
        { TypeField, MongoValues.Word(change.Type) },
        { EntryTypeField, MongoValues.Word(change.EntryType) },
        { PathField, change.Path },
        { FromField, change.From is null ? BsonNull.Value : new BsonString(change.From) },
        { VersionField, MongoValues.Number(change.Version) },
        { SizeField, MongoValues.Number(change.Size) },
        { UserIdField, MongoValues.Id(change.UserId) },
        { AtField, MongoValues.Time(change.At) },
        { PublishedField, false },
    };

    public static FileChange ChangeFromDocument(BsonDocument document) => new(
        MongoValues.ReadId(document[WorkspaceIdField]),
        document[SequenceField].ToInt64(),
        MongoValues.ReadChangeType(document[TypeField]),
        MongoValues.ReadEntryType(document[EntryTypeField]),
        document[PathField].AsString,
        document.GetValue(FromField, BsonNull.Value) is { IsBsonNull: false } from ? from.AsString : null,
        MongoValues.ReadNullableNumber(document.GetValue(VersionField, BsonNull.Value)),
        MongoValues.ReadNullableNumber(document.GetValue(SizeField, BsonNull.Value)),
        MongoValues.ReadId(document[UserIdField]),
        MongoValues.ReadTime(document[AtField]));

    /// <summary>The lease just taken, from the workspace document as it was before (null: there was none).</summary>
    public static WorkspaceLease LeaseFromDocument(Guid workspaceId, string owner, BsonDocument? before) => before is null
        ? new WorkspaceLease(workspaceId, owner, 0, 0, 0, null, Deleted: false)
        : new WorkspaceLease(
            workspaceId,
            owner,
            before.GetValue(LastSequenceField, 0L).ToInt64(),
            before.GetValue(BytesField, 0L).ToInt64(),
            before.GetValue(EntriesField, 0L).ToInt64(),
            MongoValues.ReadNullableTime(before.GetValue(LastChangeAtField, BsonNull.Value)),
            before.GetValue(DeletedField, false).ToBoolean());

    /// <summary>
    /// Whether the workspace was left mid-change: a lease that ran out instead of being released,
    /// or a mutation that failed after it had begun writing and said so.
    /// </summary>
    public static bool WasLeftMidChange(BsonDocument? before) =>
        before is not null
        && (before.GetValue(LeaseOwnerField, BsonNull.Value) is { IsBsonNull: false }
            || before.GetValue(NeedsRepairField, false).ToBoolean());

    public static WorkspaceUsage UsageFromDocument(BsonDocument? document) => document is null
        ? new WorkspaceUsage(0, 0)
        : new WorkspaceUsage(document.GetValue(BytesField, 0L).ToInt64(), checked((int)document.GetValue(EntriesField, 0L).ToInt64()));

    public static WorkspaceOwner OwnerFromDocument(BsonDocument document) => new(
        MongoValues.ReadId(document[WorkspaceIdField]),
        MongoValues.ReadId(document[UserIdField]),
        MongoValues.ReadTime(document[SinceField]));
}
