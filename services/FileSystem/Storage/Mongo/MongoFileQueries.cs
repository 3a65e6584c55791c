using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.FileSystem.Files;
using static WebIde.FileSystem.Storage.Mongo.MongoFileDocuments;

namespace WebIde.FileSystem.Storage.Mongo;

/// <summary>
/// The filters, updates and sorts the MongoDB adapter sends, as values the unit tests render
/// without a server.
/// </summary>
internal static class MongoFileQueries
{
    // ---- entries

    public static FilterDefinition<BsonDocument> EntriesOf(Guid workspaceId) =>
        MongoValues.Filter.Eq(WorkspaceIdField, MongoValues.Id(workspaceId));

    public static FilterDefinition<BsonDocument> FilesOf(Guid workspaceId) =>
        MongoValues.Filter.And(EntriesOf(workspaceId), MongoValues.Filter.Eq(TypeField, MongoValues.Word(EntryType.File)));

    public static FilterDefinition<BsonDocument> FileAt(Guid workspaceId, string path) =>
        MongoValues.Filter.And(MongoValues.ById(MongoValues.Key(workspaceId, path)), MongoValues.Filter.Eq(TypeField, MongoValues.Word(EntryType.File)));

    /// <summary>Whatever stands at these paths: one round trip for a path and all its ancestors.</summary>
    public static FilterDefinition<BsonDocument> At(Guid workspaceId, IEnumerable<string> paths) =>
        MongoValues.Filter.In("_id", paths.Distinct(StringComparer.Ordinal).Select(path => MongoValues.Key(workspaceId, path)));

    /// <summary>
    /// The entry at <paramref name="path"/> and everything under it. The subtree is the key range
    /// <c>[path + '/', path + '0')</c> ('0' follows '/'), which the path index answers as a range
    /// scan and which leaves <c>src2</c> and <c>src-x</c> out of <c>src</c>.
    /// </summary>
    public static FilterDefinition<BsonDocument> Subtree(Guid workspaceId, string path) =>
        MongoValues.Filter.And(
            EntriesOf(workspaceId),
            MongoValues.Filter.Or(
                MongoValues.Filter.Eq(PathField, path),
                MongoValues.Filter.And(
                    MongoValues.Filter.Gte(PathField, path + "/"),
                    MongoValues.Filter.Lt(PathField, path + "0"))));

    /// <summary><c>{ _id, type: "file", version }</c>: the compare-and-swap of one file's content.</summary>
    public static FilterDefinition<BsonDocument> FileAtVersion(Guid workspaceId, string path, long version) =>
        MongoValues.Filter.And(
            MongoValues.ById(MongoValues.Key(workspaceId, path)),
            MongoValues.Filter.Eq(TypeField, MongoValues.Word(EntryType.File)),
            MongoValues.Filter.Eq(VersionField, new BsonInt64(version)));

    /// <summary><paramref name="storedContent"/> is as it is kept (<see cref="StoredContent"/>); <paramref name="size"/> is the file's.</summary>
    public static UpdateDefinition<BsonDocument> Rewrite(byte[] storedContent, long size, long version, DateTimeOffset modifiedAt, long sequence) =>
        MongoValues.Update.Combine(
            MongoValues.Update.Set(SizeField, new BsonInt64(size)),
            MongoValues.Update.Set(VersionField, new BsonInt64(version)),
            MongoValues.Update.Set(ModifiedAtField, MongoValues.Time(modifiedAt)),
            MongoValues.Update.Set(SequenceField, new BsonInt64(sequence)),
            MongoValues.Update.Set(ContentField, new BsonBinaryData(storedContent, BsonBinarySubType.Binary)));

    public static SortDefinition<BsonDocument> PathOrder { get; } = MongoValues.Sort.Ascending(PathField);

    public static ProjectionDefinition<BsonDocument> WithoutContent { get; } = MongoValues.Projection.Exclude(ContentField);

    // ---- tombstones

    public static FilterDefinition<BsonDocument> TombstonesOf(Guid workspaceId) =>
        MongoValues.Filter.Eq(WorkspaceIdField, MongoValues.Id(workspaceId));

    /// <summary>Raises the path's tombstone to <paramref name="version"/> (never lowers it); upserted.</summary>
    public static UpdateDefinition<BsonDocument> Bury(Guid workspaceId, string path, long version) =>
        MongoValues.Update.Combine(
            MongoValues.Update.Max(VersionField, new BsonInt64(version)),
            MongoValues.Update.SetOnInsert(WorkspaceIdField, MongoValues.Id(workspaceId)),
            MongoValues.Update.SetOnInsert(PathField, path));

    // ---- workspaces: the lease and the counters

    public static FilterDefinition<BsonDocument> Workspace(Guid workspaceId) => MongoValues.ById(MongoValues.Id(workspaceId));

    /// <summary><c>{ _id, leaseUntil: { $not: { $gt: now } } }</c>: nobody holds it, or their lease ran out.</summary>
    public static FilterDefinition<BsonDocument> FreeWorkspace(Guid workspaceId, DateTimeOffset now) => Unleased(Workspace(workspaceId), now);

    /// <summary>Upserted, so a workspace's first change creates its document with zero counters.</summary>
    public static UpdateDefinition<BsonDocument> TakeLease(string owner, DateTimeOffset until) =>
        MongoValues.Update.Combine(
            Lease(owner, until),
            MongoValues.Update.SetOnInsert(LastSequenceField, new BsonInt64(0)),
            MongoValues.Update.SetOnInsert(BytesField, new BsonInt64(0)),
            MongoValues.Update.SetOnInsert(EntriesField, new BsonInt64(0)),
            MongoValues.Update.SetOnInsert(LastChangeAtField, BsonNull.Value));

    public static FilterDefinition<BsonDocument> HeldBy(Guid workspaceId, string owner) => Held(Workspace(workspaceId), owner);

    /// <summary>
    /// Still ours, and with room for what is added: <c>bytes ≤ max − added</c> for a counter
    /// that grows. A counter that shrinks is never refused, so a delete always goes through.
    /// </summary>
    public static FilterDefinition<BsonDocument> HeldWithRoomFor(Guid workspaceId, string owner, long addedBytes, long addedEntries, FileLimits limits)
    {
        var filters = new List<FilterDefinition<BsonDocument>> { HeldBy(workspaceId, owner) };
        if (addedBytes > 0)
        {
            filters.Add(MongoValues.Filter.Lte(BytesField, new BsonInt64(limits.MaxWorkspaceBytes - addedBytes)));
        }
        if (addedEntries > 0)
        {
            filters.Add(MongoValues.Filter.Lte(EntriesField, new BsonInt64(limits.MaxWorkspaceEntries - addedEntries)));
        }
        return MongoValues.Filter.And(filters);
    }

    public static UpdateDefinition<BsonDocument> Reserve(long addedBytes, long addedEntries) =>
        MongoValues.Update.Combine(
            MongoValues.Update.Inc(BytesField, new BsonInt64(addedBytes)),
            MongoValues.Update.Inc(EntriesField, new BsonInt64(addedEntries)));

    public static UpdateDefinition<BsonDocument> RenewLease(DateTimeOffset until) =>
        MongoValues.Update.Set(LeaseUntilField, MongoValues.Time(until));

    /// <summary>Publishes the numbering (the change log is written by now) and lets the next mutation in.</summary>
    public static UpdateDefinition<BsonDocument> Release(long lastSequence, DateTimeOffset? lastChangeAt) =>
        MongoValues.Update.Combine(
            MongoValues.Update.Set(LastSequenceField, new BsonInt64(lastSequence)),
            MongoValues.Update.Set(LastChangeAtField, MongoValues.Time(lastChangeAt)),
            NoLease());

    /// <summary>What is left of a deleted workspace: a mark that refuses every later change, and no lease.</summary>
    public static UpdateDefinition<BsonDocument> MarkDeleted() =>
        MongoValues.Update.Combine(
            MongoValues.Update.Set(DeletedField, true),
            MongoValues.Update.Set(LastSequenceField, new BsonInt64(0)),
            MongoValues.Update.Set(LastChangeAtField, BsonNull.Value),
            MongoValues.Update.Set(BytesField, new BsonInt64(0)),
            MongoValues.Update.Set(EntriesField, new BsonInt64(0)),
            NoLease(),
            MongoValues.Update.Unset(NeedsRepairField));

    /// <summary>Lets the next mutation in at once, telling it to recount first: this one failed after it began writing.</summary>
    public static UpdateDefinition<BsonDocument> ReleaseForRepair() =>
        MongoValues.Update.Combine(
            MongoValues.Update.Set(NeedsRepairField, true),
            NoLease());

    public static UpdateDefinition<BsonDocument> Repaired(long lastSequence, long bytes, long entries, DateTimeOffset? lastChangeAt) =>
        MongoValues.Update.Combine(
            MongoValues.Update.Set(LastSequenceField, new BsonInt64(lastSequence)),
            MongoValues.Update.Set(BytesField, new BsonInt64(bytes)),
            MongoValues.Update.Set(EntriesField, new BsonInt64(entries)),
            MongoValues.Update.Set(LastChangeAtField, MongoValues.Time(lastChangeAt)),
            MongoValues.Update.Unset(NeedsRepairField));

    /// <summary>What the entries really hold: <c>$sum</c> skips the directories' null sizes.</summary>
    public static BsonDocument[] Recount(Guid workspaceId) =>
    [
        new BsonDocument("$match", new BsonDocument(WorkspaceIdField, MongoValues.Id(workspaceId))),
        new BsonDocument("$group", new BsonDocument
        {
            { "_id", BsonNull.Value },
            { BytesField, new BsonDocument("$sum", "$" + SizeField) },
            { EntriesField, new BsonDocument("$sum", 1) },
        }),
    ];

    // ---- owners and accounts

    public static FilterDefinition<BsonDocument> Owner(Guid workspaceId, Guid userId) =>
        MongoValues.ById(MongoValues.Key(workspaceId, userId.ToString("D")));

    public static FilterDefinition<BsonDocument> OwnersOf(IEnumerable<Guid> workspaceIds) =>
        MongoValues.Filter.In(WorkspaceIdField, workspaceIds.Distinct().Select(MongoValues.Id));

    public static FilterDefinition<BsonDocument> OwnedBy(Guid userId) =>
        MongoValues.Filter.Eq(UserIdField, MongoValues.Id(userId));

    /// <summary>Upserted; an owner already recorded keeps the earlier time.</summary>
    public static UpdateDefinition<BsonDocument> RecordOwner(Guid workspaceId, Guid userId, DateTimeOffset since) =>
        MongoValues.Update.Combine(
            MongoValues.Update.SetOnInsert(WorkspaceIdField, MongoValues.Id(workspaceId)),
            MongoValues.Update.SetOnInsert(UserIdField, MongoValues.Id(userId)),
            MongoValues.Update.Min(SinceField, MongoValues.Time(since)));

    public static FilterDefinition<BsonDocument> Workspaces(IEnumerable<Guid> workspaceIds) =>
        MongoValues.Filter.In("_id", workspaceIds.Distinct().Select(MongoValues.Id));

    public static ProjectionDefinition<BsonDocument> BytesOnly { get; } = MongoValues.Projection.Include(BytesField);

    public static FilterDefinition<BsonDocument> Account(Guid accountId) => MongoValues.ById(MongoValues.Id(accountId));

    /// <summary>The account's lease: nobody holds it, or their lease ran out.</summary>
    public static FilterDefinition<BsonDocument> FreeAccount(Guid accountId, DateTimeOffset now) => Unleased(Account(accountId), now);

    /// <summary>Upserted, so an account's first check creates its document.</summary>
    public static UpdateDefinition<BsonDocument> TakeAccountLease(string owner, DateTimeOffset until) => Lease(owner, until);

    public static FilterDefinition<BsonDocument> AccountHeldBy(Guid accountId, string owner) => Held(Account(accountId), owner);

    public static UpdateDefinition<BsonDocument> ReleaseAccount() => NoLease();

    // ---- leases: one rule for a workspace's and an account's

    /// <summary><c>leaseUntil: { $not: { $gt: now } }</c>: nobody holds the lease, or theirs ran out.</summary>
    private static FilterDefinition<BsonDocument> Unleased(FilterDefinition<BsonDocument> document, DateTimeOffset now) =>
        MongoValues.Filter.And(document, MongoValues.Filter.Not(MongoValues.Filter.Gt(LeaseUntilField, MongoValues.Time(now))));

    private static FilterDefinition<BsonDocument> Held(FilterDefinition<BsonDocument> document, string owner) =>
        MongoValues.Filter.And(document, MongoValues.Filter.Eq(LeaseOwnerField, owner));

    private static UpdateDefinition<BsonDocument> Lease(string owner, DateTimeOffset until) =>
        MongoValues.Update.Combine(
            MongoValues.Update.Set(LeaseOwnerField, owner),
            MongoValues.Update.Set(LeaseUntilField, MongoValues.Time(until)));

    private static UpdateDefinition<BsonDocument> NoLease() =>
        MongoValues.Update.Combine(MongoValues.Update.Unset(LeaseOwnerField), MongoValues.Update.Unset(LeaseUntilField));

    // ---- changes

    public static FilterDefinition<BsonDocument> ChangesOf(Guid workspaceId) =>
        MongoValues.Filter.Eq(WorkspaceIdField, MongoValues.Id(workspaceId));

    public static FilterDefinition<BsonDocument> ChangesAfter(Guid workspaceId, long afterSequence) =>
        MongoValues.Filter.And(ChangesOf(workspaceId), MongoValues.Filter.Gt(SequenceField, new BsonInt64(afterSequence)));

    public static SortDefinition<BsonDocument> SequenceOrder { get; } = MongoValues.Sort.Ascending(SequenceField);

    public static SortDefinition<BsonDocument> NewestFirst { get; } = MongoValues.Sort.Descending(SequenceField);

    public static FilterDefinition<BsonDocument> Unpublished { get; } = MongoValues.Filter.Eq(PublishedField, false);

    /// <summary>
    /// Oldest first; within one workspace that is sequence order, because a workspace's change
    /// times never go backwards (see <see cref="MongoFileStore"/>).
    /// </summary>
    public static SortDefinition<BsonDocument> OutboxOrder { get; } =
        MongoValues.Sort.Ascending(AtField).Ascending(WorkspaceIdField).Ascending(SequenceField);

    public static FilterDefinition<BsonDocument> Numbered(Guid workspaceId, IEnumerable<long> sequences) =>
        MongoValues.Filter.And(
            ChangesOf(workspaceId),
            MongoValues.Filter.In(SequenceField, sequences.Select(sequence => new BsonInt64(sequence))));

    public static UpdateDefinition<BsonDocument> Publish { get; } = MongoValues.Update.Set(PublishedField, true);

    public static FilterDefinition<BsonDocument> PublishedBefore(DateTimeOffset before) =>
        MongoValues.Filter.And(
            MongoValues.Filter.Eq(PublishedField, true),
            MongoValues.Filter.Lt(AtField, MongoValues.Time(before)));
}
