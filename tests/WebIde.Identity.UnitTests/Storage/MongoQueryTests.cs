using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using WebIde.Identity.Storage;
using WebIde.Identity.Storage.Mongo;

namespace WebIde.Identity.UnitTests.Storage;

/// <summary>The filters, updates, sorts and indexes the MongoDB adapter sends, rendered as the driver renders them.</summary>
public sealed class MongoQueryTests
{
    private static readonly Guid UserId = Guid.Parse("0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21");
    private static readonly Guid WorkspaceId = Guid.Parse("11111111-2222-4333-8444-555555555555");
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    [Test]
    public void AUserIsLookedUpByNormalizedUsername()
    {
        Assert.That(Render(MongoUserStore.ByNormalizedUsername("grace")), Is.EqualTo(new BsonDocument("normalizedUsername", "grace")));
    }

    [Test]
    public void SpendingMatchesOnlyTheUnspentTokenAndStampsIt()
    {
        Assert.That(Render(MongoSessionStore.UnspentToken("h4sh")), Is.EqualTo(new BsonDocument
        {
            { "_id", "h4sh" },
            { "spentAt", BsonNull.Value },
        }));
        Assert.That(Render(MongoSessionStore.Spend(Now)), Is.EqualTo(new BsonDocument(
            "$set", new BsonDocument("spentAt", new BsonDateTime(Now.ToUnixTimeMilliseconds())))));
    }

    [Test]
    public void RevokingMatchesOnlyAnUnrevokedSession()
    {
        var sessionId = Guid.Parse("f1e2d3c4-b5a6-4789-8a0b-1c2d3e4f5a6b");

        Assert.That(Render(MongoSessionStore.UnrevokedSession(sessionId)), Is.EqualTo(new BsonDocument
        {
            { "_id", "f1e2d3c4-b5a6-4789-8a0b-1c2d3e4f5a6b" },
            { "revokedAt", BsonNull.Value },
        }));
        Assert.That(Render(MongoSessionStore.Revoke(Now)), Is.EqualTo(new BsonDocument(
            "$set", new BsonDocument("revokedAt", new BsonDateTime(Now.ToUnixTimeMilliseconds())))));
    }

    [Test]
    public void LeavingOwnershipIsGuardedByTheOwnerCount()
    {
        Assert.That(Render(MongoWorkspaceStore.AnotherOwnerRemains(WorkspaceId)), Is.EqualTo(new BsonDocument
        {
            { "_id", "11111111-2222-4333-8444-555555555555" },
            { "ownerCount", new BsonDocument("$gt", 1) },
        }));
        Assert.That(Render(MongoWorkspaceStore.ChangeOwnerCount(-1)), Is.EqualTo(new BsonDocument("$inc", new BsonDocument("ownerCount", -1))));
        Assert.That(Render(MongoWorkspaceStore.ChangeOwnerCount(+1)), Is.EqualTo(new BsonDocument("$inc", new BsonDocument("ownerCount", 1))));
    }

    [Test]
    public void RoleChangesAreCompareAndSetOnTheRoleRead()
    {
        Assert.That(Render(MongoWorkspaceStore.MembershipWithRole(WorkspaceId, UserId, WorkspaceRole.Owner)), Is.EqualTo(new BsonDocument
        {
            { "workspaceId", "11111111-2222-4333-8444-555555555555" },
            { "userId", "0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21" },
            { "role", "owner" },
        }));
        Assert.That(Render(MongoWorkspaceStore.SetRole(WorkspaceRole.Editor)), Is.EqualTo(new BsonDocument("$set", new BsonDocument("role", "editor"))));
        Assert.That(Render(MongoWorkspaceStore.Membership(WorkspaceId, UserId)), Is.EqualTo(new BsonDocument
        {
            { "workspaceId", "11111111-2222-4333-8444-555555555555" },
            { "userId", "0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21" },
        }));
    }

    [Test]
    public void MembershipsAreFoundByWorkspaceAndByUser()
    {
        Assert.That(Render(MongoWorkspaceStore.MembershipsOfWorkspace(WorkspaceId)), Is.EqualTo(new BsonDocument("workspaceId", "11111111-2222-4333-8444-555555555555")));
        Assert.That(Render(MongoWorkspaceStore.MembershipsOfUser(UserId)), Is.EqualTo(new BsonDocument("userId", "0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21")));
    }

    [Test]
    public void ListsAreOrderedAsInSqlite()
    {
        Assert.That(MongoWorkspaceStore.WorkspaceOrder.Render(Args), Is.EqualTo(new BsonDocument { { "name", 1 }, { "_id", 1 } }));
        Assert.That(MongoSigningKeyStore.Order.Render(Args), Is.EqualTo(new BsonDocument { { "createdAt", 1 }, { "_id", 1 } }));
    }

    [Test]
    public void UsernamesAreUniqueByIndex()
    {
        var (collection, index) = MongoIdentityIndexes.Definitions.Single(definition => definition.Index.Options.Name == MongoIdentityIndexes.UniqueUsernameIndex);

        Assert.That(collection, Is.EqualTo("users"));
        Assert.That(index.Keys.Render(Args), Is.EqualTo(new BsonDocument("normalizedUsername", 1)));
        Assert.That(index.Options.Unique, Is.True);
    }

    [Test]
    public void MembershipsAreUniquePerWorkspaceAndUserAndFoundByUser()
    {
        var memberships = MongoIdentityIndexes.Definitions.Where(definition => definition.Collection == "memberships").ToList();

        Assert.That(memberships.Select(definition => (definition.Index.Keys.Render(Args), definition.Index.Options.Unique ?? false)), Is.EquivalentTo(new[]
        {
            (new BsonDocument { { "workspaceId", 1 }, { "userId", 1 } }, true),
            (new BsonDocument("userId", 1), false),
        }));
    }

    [Test]
    public void TheCollectionsAreNamedAsDocumented()
    {
        Assert.That(
            new[]
            {
                MongoUserStore.CollectionName, MongoSessionStore.SessionsCollectionName, MongoSessionStore.RefreshTokensCollectionName,
                MongoSigningKeyStore.CollectionName, MongoWorkspaceStore.WorkspacesCollectionName, MongoWorkspaceStore.MembershipsCollectionName,
            },
            Is.EqualTo(new[] { "users", "sessions", "refreshTokens", "signingKeys", "workspaces", "memberships" }));
    }

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) => filter.Render(Args);

    private static BsonValue Render(UpdateDefinition<BsonDocument> update) => update.Render(Args);
}
