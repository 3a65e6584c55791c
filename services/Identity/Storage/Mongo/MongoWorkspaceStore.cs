using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Mongo;

/// <summary>
/// Workspaces (<c>{ _id, name, createdAt, ownerCount }</c>) and memberships
/// (<c>{ _id: "workspace:user", workspaceId, userId, role }</c>), without multi-document
/// transactions (a standalone server has none).
/// <para>
/// Last-owner protection. The workspace's <c>ownerCount</c> is a counter of owner memberships
/// that may lag behind but is never ahead: becoming an owner writes the membership first and
/// then increments the count; ceasing to be one first takes a unit from the count with a
/// conditional update, <c>{ _id, ownerCount: { $gt: 1 } } $inc -1</c>, atomic on the one
/// document, and only then changes the membership, itself conditional on its role still being
/// owner. Counting the units taken but not yet applied, count + taken ≤ actual owners holds
/// after every single write, and the guard keeps the count at one or more, so at least one
/// owner always remains: of two owners demoting each other at once, the second finds the count
/// at 1 and gets <see cref="MembershipChange.LastOwner"/>. When the membership turns out to
/// have changed meanwhile, the unit is given back and the call starts over from a fresh read.
/// A crash or an unknown outcome between the two writes leaves the count too low, never too
/// high: the cost is a refused demotion until the count is repaired, never an ownerless
/// workspace; so an unknown outcome is never compensated.
/// </para>
/// <para>
/// A membership is written before its workspace on creation and outlives it for a moment on
/// deletion; <see cref="FindRoleAsync"/> and the list calls therefore only count memberships of
/// a workspace that exists, and an add that finds its workspace gone afterwards takes itself back.
/// </para>
/// <para>
/// A change's announcement is written to the outbox before the change, as an intent, and
/// confirmed after it or dropped when it was not made (<see cref="MongoOutboxStore"/>).
/// </para>
/// </summary>
public sealed class MongoWorkspaceStore(IMongoDatabase database, MongoIdentityIndexes indexes, MongoOutboxStore outbox) : IWorkspaceStore
{
    internal const string WorkspacesCollectionName = "workspaces";
    internal const string MembershipsCollectionName = "memberships";
    internal const string NameField = "name";
    internal const string OwnerCountField = "ownerCount";
    internal const string WorkspaceIdField = "workspaceId";
    internal const string UserIdField = "userId";
    internal const string RoleField = "role";

    // Each retry means another writer changed this very membership in between; this many in a
    // row is a bug, not contention.
    private const int MaxAttempts = 64;

    private readonly IMongoCollection<BsonDocument> _workspaces = database.GetCollection<BsonDocument>(WorkspacesCollectionName);
    private readonly IMongoCollection<BsonDocument> _memberships = database.GetCollection<BsonDocument>(MembershipsCollectionName);
    private readonly IMongoCollection<BsonDocument> _users = database.GetCollection<BsonDocument>(MongoUserStore.CollectionName);

    internal static BsonDocument ToDocument(Workspace workspace, int ownerCount) => new()
    {
        { "_id", MongoValues.Id(workspace.Id) },
        { NameField, workspace.Name },
        { "createdAt", MongoValues.Time(workspace.CreatedAt) },
        { OwnerCountField, ownerCount },
    };

    internal static Workspace WorkspaceFromDocument(BsonDocument document) => new(
        MongoValues.ReadId(document["_id"]),
        document[NameField].AsString,
        MongoValues.ReadTime(document["createdAt"]));

    internal static BsonDocument ToMembershipDocument(Guid workspaceId, Guid userId, WorkspaceRole role) => new()
    {
        { "_id", $"{workspaceId:D}:{userId:D}" },
        { WorkspaceIdField, MongoValues.Id(workspaceId) },
        { UserIdField, MongoValues.Id(userId) },
        { RoleField, MongoValues.Role(role) },
    };

    internal static FilterDefinition<BsonDocument> Membership(Guid workspaceId, Guid userId) =>
        MongoValues.Filter.And(
            MongoValues.Filter.Eq(WorkspaceIdField, MongoValues.Id(workspaceId)),
            MongoValues.Filter.Eq(UserIdField, MongoValues.Id(userId)));

    /// <summary>The membership, only while its role is still the one we read: a compare-and-set.</summary>
    internal static FilterDefinition<BsonDocument> MembershipWithRole(Guid workspaceId, Guid userId, WorkspaceRole role) =>
        MongoValues.Filter.And(
            MongoValues.Filter.Eq(WorkspaceIdField, MongoValues.Id(workspaceId)),
            MongoValues.Filter.Eq(UserIdField, MongoValues.Id(userId)),
            MongoValues.Filter.Eq(RoleField, MongoValues.Role(role)));

    internal static UpdateDefinition<BsonDocument> SetRole(WorkspaceRole role) =>
        MongoValues.Update.Set(RoleField, MongoValues.Role(role));

    internal static FilterDefinition<BsonDocument> MembershipsOfWorkspace(Guid workspaceId) =>
        MongoValues.Filter.Eq(WorkspaceIdField, MongoValues.Id(workspaceId));

    internal static FilterDefinition<BsonDocument> MembershipsOfUser(Guid userId) =>
        MongoValues.Filter.Eq(UserIdField, MongoValues.Id(userId));

    internal static FilterDefinition<BsonDocument> WorkspaceById(Guid workspaceId) =>
        MongoValues.ById(MongoValues.Id(workspaceId));

    /// <summary><c>{ _id, ownerCount: { $gt: 1 } }</c>: matches only while another owner remains.</summary>
    internal static FilterDefinition<BsonDocument> AnotherOwnerRemains(Guid workspaceId) =>
        MongoValues.Filter.And(
            WorkspaceById(workspaceId),
            MongoValues.Filter.Gt(OwnerCountField, 1));

    internal static UpdateDefinition<BsonDocument> ChangeOwnerCount(int delta) =>
        MongoValues.Update.Inc(OwnerCountField, delta);

    internal static SortDefinition<BsonDocument> WorkspaceOrder { get; } =
        Builders<BsonDocument>.Sort.Ascending(NameField).Ascending("_id");

    public Task CreateAsync(Workspace workspace, Guid ownerId, CancellationToken cancellationToken, OutboxMessage? announce = null) =>
        WithIntentAsync(announce, async () =>
        {
            await InsertAsync(workspace, ownerId, cancellationToken);
            return true;
        }, made => made, cancellationToken);

    private async Task InsertAsync(Workspace workspace, Guid ownerId, CancellationToken cancellationToken)
    {
        await indexes.EnsureCreatedAsync(cancellationToken);
        // The owner membership before the count that includes it (count ≤ owners).
        await _memberships.InsertOneAsync(
            ToMembershipDocument(workspace.Id, ownerId, WorkspaceRole.Owner), cancellationToken: cancellationToken);
        try
        {
            await _workspaces.InsertOneAsync(ToDocument(workspace, ownerCount: 1), cancellationToken: CancellationToken.None);
        }
        catch
        {
            await _memberships.DeleteOneAsync(Membership(workspace.Id, ownerId), CancellationToken.None);
            throw;
        }
    }

    public async Task<Workspace?> FindAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var document = await _workspaces.Find(WorkspaceById(workspaceId)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : WorkspaceFromDocument(document);
    }

    public async Task<IReadOnlyList<(Workspace Workspace, WorkspaceRole Role)>> ListForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        var memberships = await _memberships.Find(MembershipsOfUser(userId)).ToListAsync(cancellationToken);
        if (memberships.Count == 0)
        {
            return [];
        }

        var roles = memberships.ToDictionary(
            membership => membership[WorkspaceIdField].AsString,
            membership => MongoValues.ReadRole(membership[RoleField]));
        var workspaces = await _workspaces
            .Find(MongoValues.Filter.In("_id", roles.Keys.Select(id => (BsonValue)id)))
            .Sort(WorkspaceOrder)
            .ToListAsync(cancellationToken);
        return workspaces
            .Select(document => (WorkspaceFromDocument(document), roles[document["_id"].AsString]))
            .ToList();
    }

    public async Task<IReadOnlyList<WorkspaceMember>> ListMembersAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var memberships = await _memberships.Find(MembershipsOfWorkspace(workspaceId)).ToListAsync(cancellationToken);
        if (memberships.Count == 0 || !await WorkspaceExistsAsync(workspaceId, cancellationToken))
        {
            return [];
        }

        var users = await _users
            .Find(MongoValues.Filter.In("_id", memberships.Select(membership => membership[UserIdField])))
            .Project(Builders<BsonDocument>.Projection
                .Include(MongoUserStore.UsernameField)
                .Include(MongoUserStore.NormalizedUsernameField))
            .ToListAsync(cancellationToken);
        var usersById = users.ToDictionary(user => user["_id"].AsString);

        // Ordered as SQLite orders them: by normalized username, then user id.
        return memberships
            .Where(membership => usersById.ContainsKey(membership[UserIdField].AsString))
            .Select(membership => (Membership: membership, User: usersById[membership[UserIdField].AsString]))
            .OrderBy(pair => pair.User[MongoUserStore.NormalizedUsernameField].AsString, StringComparer.Ordinal)
            .ThenBy(pair => pair.Membership[UserIdField].AsString, StringComparer.Ordinal)
            .Select(pair => new WorkspaceMember(
                workspaceId,
                MongoValues.ReadId(pair.Membership[UserIdField]),
                pair.User[MongoUserStore.UsernameField].AsString,
                MongoValues.ReadRole(pair.Membership[RoleField])))
            .ToList();
    }

    public async Task<WorkspaceRole?> FindRoleAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        var membership = await _memberships.Find(Membership(workspaceId, userId)).FirstOrDefaultAsync(cancellationToken);
        if (membership is null || !await WorkspaceExistsAsync(workspaceId, cancellationToken))
        {
            return null;
        }

        return MongoValues.ReadRole(membership[RoleField]);
    }

    public Task<MembershipChange> SetRoleAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken, OutboxMessage? announce = null) =>
        WithIntentAsync(announce, () => ApplyRoleAsync(workspaceId, userId, role, cancellationToken),
            change => change is MembershipChange.Added or MembershipChange.Updated, cancellationToken);

    public Task<MembershipChange> RemoveMemberAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken, OutboxMessage? announce = null) =>
        WithIntentAsync(announce, () => RemoveAsync(workspaceId, userId, cancellationToken),
            change => change == MembershipChange.Removed, cancellationToken);

    public Task<bool> DeleteAsync(Guid workspaceId, CancellationToken cancellationToken, OutboxMessage? announce = null) =>
        WithIntentAsync(announce, () => DeleteWorkspaceAsync(workspaceId, cancellationToken), deleted => deleted, cancellationToken);

    private async Task<MembershipChange> ApplyRoleAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Not a workspace role.");
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!await WorkspaceExistsAsync(workspaceId, cancellationToken))
            {
                return MembershipChange.WorkspaceNotFound;
            }

            var membership = await _memberships.Find(Membership(workspaceId, userId)).FirstOrDefaultAsync(cancellationToken);
            var outcome = membership is null
                ? await TryAddAsync(workspaceId, userId, role, cancellationToken)
                : await TryChangeRoleAsync(workspaceId, userId, MongoValues.ReadRole(membership[RoleField]), role, cancellationToken);
            if (outcome is { } done)
            {
                return done;
            }
        }

        throw new InvalidOperationException($"The membership of {userId} in workspace {workspaceId} kept changing during {MaxAttempts} attempts.");
    }

    private async Task<MembershipChange> RemoveAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!await WorkspaceExistsAsync(workspaceId, cancellationToken))
            {
                return MembershipChange.WorkspaceNotFound;
            }

            var membership = await _memberships.Find(Membership(workspaceId, userId)).FirstOrDefaultAsync(cancellationToken);
            if (membership is null)
            {
                return MembershipChange.NotAMember;
            }

            var current = MongoValues.ReadRole(membership[RoleField]);
            var outcome = current == WorkspaceRole.Owner
                ? await TryLeaveOwnershipAsync(workspaceId, async () =>
                    (await _memberships.DeleteOneAsync(MembershipWithRole(workspaceId, userId, current), CancellationToken.None)).DeletedCount == 1,
                    MembershipChange.Removed, cancellationToken)
                : (await _memberships.DeleteOneAsync(MembershipWithRole(workspaceId, userId, current), cancellationToken)).DeletedCount == 1
                    ? MembershipChange.Removed
                    : null;
            if (outcome is { } done)
            {
                return done;
            }
        }

        throw new InvalidOperationException($"The membership of {userId} in workspace {workspaceId} kept changing during {MaxAttempts} attempts.");
    }

    private async Task<bool> DeleteWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var deleted = await _workspaces.DeleteOneAsync(WorkspaceById(workspaceId), cancellationToken);
        // Even when the workspace was already gone: repeating a delete that stopped halfway
        // finishes it. An add racing with this one checks for its workspace after writing and
        // takes itself back, so nothing is left behind either way.
        await _memberships.DeleteManyAsync(MembershipsOfWorkspace(workspaceId), CancellationToken.None);
        return deleted.DeletedCount == 1;
    }

    /// <summary>
    /// Runs <paramref name="change"/> between writing <paramref name="announce"/> as an intent and
    /// confirming it (or dropping it when <paramref name="made"/> says the change was not made).
    /// When the change throws, its outcome is unknown: the intent stays for the dispatcher to check.
    /// </summary>
    private async Task<T> WithIntentAsync<T>(OutboxMessage? announce, Func<Task<T>> change, Func<T, bool> made, CancellationToken cancellationToken)
    {
        if (announce is null)
        {
            return await change();
        }

        var sequence = await outbox.AddIntentAsync(announce, cancellationToken);
        var result = await change();
        await (made(result) ? outbox.ConfirmAsync(sequence) : outbox.DropAsync(sequence));
        return result;
    }

    /// <summary>Null when someone else added the membership first: start over.</summary>
    private async Task<MembershipChange?> TryAddAsync(Guid workspaceId, Guid userId, WorkspaceRole role, CancellationToken cancellationToken)
    {
        try
        {
            await _memberships.InsertOneAsync(ToMembershipDocument(workspaceId, userId, role), cancellationToken: cancellationToken);
        }
        catch (MongoWriteException exception) when (DuplicateKey.Is(exception))
        {
            return null;
        }

        // The membership exists now; from here on the steps run to the end whatever the caller's token says.
        var workspaceStillThere = role == WorkspaceRole.Owner
            ? (await _workspaces.UpdateOneAsync(WorkspaceById(workspaceId), ChangeOwnerCount(+1), cancellationToken: CancellationToken.None)).MatchedCount == 1
            : await WorkspaceExistsAsync(workspaceId, CancellationToken.None);
        if (!workspaceStillThere)
        {
            // Deleted while we added: its delete may already have swept the memberships.
            await _memberships.DeleteOneAsync(Membership(workspaceId, userId), CancellationToken.None);
            return MembershipChange.WorkspaceNotFound;
        }

        return MembershipChange.Added;
    }

    /// <summary>Null when the membership changed since it was read: start over.</summary>
    private async Task<MembershipChange?> TryChangeRoleAsync(
        Guid workspaceId, Guid userId, WorkspaceRole current, WorkspaceRole role, CancellationToken cancellationToken)
    {
        if (current == role)
        {
            return MembershipChange.Unchanged;
        }

        if (current == WorkspaceRole.Owner)
        {
            return await TryLeaveOwnershipAsync(workspaceId, async () =>
                (await _memberships.UpdateOneAsync(MembershipWithRole(workspaceId, userId, current), SetRole(role), cancellationToken: CancellationToken.None)).MatchedCount == 1,
                MembershipChange.Updated, cancellationToken);
        }

        var changed = await _memberships.UpdateOneAsync(
            MembershipWithRole(workspaceId, userId, current), SetRole(role), cancellationToken: cancellationToken);
        if (changed.MatchedCount == 0)
        {
            return null;
        }

        if (role == WorkspaceRole.Owner)
        {
            // After the membership, so the count never runs ahead of the owners.
            await _workspaces.UpdateOneAsync(WorkspaceById(workspaceId), ChangeOwnerCount(+1), cancellationToken: CancellationToken.None);
        }

        return MembershipChange.Updated;
    }

    /// <summary>
    /// Takes one unit from the owner count while another owner remains, then runs
    /// <paramref name="leave"/> (the conditional demotion or removal). Null when that found the
    /// membership no longer an owner's: the unit goes back and the caller starts over.
    /// </summary>
    private async Task<MembershipChange?> TryLeaveOwnershipAsync(
        Guid workspaceId, Func<Task<bool>> leave, MembershipChange success, CancellationToken cancellationToken)
    {
        var taken = await _workspaces.UpdateOneAsync(
            AnotherOwnerRemains(workspaceId), ChangeOwnerCount(-1), cancellationToken: cancellationToken);
        if (taken.MatchedCount == 0)
        {
            return await WorkspaceExistsAsync(workspaceId, cancellationToken)
                ? MembershipChange.LastOwner
                : MembershipChange.WorkspaceNotFound;
        }

        // No compensation if this throws: its outcome is unknown, and a count too low is safe.
        if (await leave())
        {
            return success;
        }

        await _workspaces.UpdateOneAsync(WorkspaceById(workspaceId), ChangeOwnerCount(+1), cancellationToken: CancellationToken.None);
        return null;
    }

    private async Task<bool> WorkspaceExistsAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        await _workspaces.Find(WorkspaceById(workspaceId)).Limit(1).CountDocumentsAsync(cancellationToken) == 1;
}
