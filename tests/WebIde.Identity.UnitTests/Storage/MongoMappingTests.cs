using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using WebIde.Identity.Storage;
using WebIde.Identity.Storage.Mongo;

namespace WebIde.Identity.UnitTests.Storage;

/// <summary>
/// The MongoDB adapter's documents, field by field and type by type, without a server: what a
/// record becomes, and that it comes back from the BSON bytes unchanged.
/// </summary>
public sealed class MongoMappingTests
{
    private static readonly Guid UserId = Guid.Parse("0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21");
    private static readonly Guid SessionId = Guid.Parse("f1e2d3c4-b5a6-4789-8a0b-1c2d3e4f5a6b");
    private static readonly Guid WorkspaceId = Guid.Parse("11111111-2222-4333-8444-555555555555");
    private static readonly DateTimeOffset Created = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Created.AddDays(30);

    [Test]
    public void AUserIsADocumentKeyedByItsIdWithItsNormalizedName()
    {
        var user = new UserAccount(UserId, "Grace", "grace", "Grace H.", "AQAAAAIAAYagAAAAE", Created);

        var document = MongoUserStore.ToDocument(user);

        Assert.That(document, Is.EqualTo(new BsonDocument
        {
            { "_id", "0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21" },
            { "username", "Grace" },
            { "normalizedUsername", "grace" },
            { "displayName", "Grace H." },
            { "passwordHash", "AQAAAAIAAYagAAAAE" },
            { "createdAt", new BsonDateTime(Created.ToUnixTimeMilliseconds()) },
        }));
        Assert.That(MongoUserStore.FromDocument(ThroughBson(document)), Is.EqualTo(user));
    }

    [Test]
    public void ASessionKeepsNullRevocationExplicitly()
    {
        var session = new LoginSession(SessionId, UserId, Created, Later, null);

        var document = MongoSessionStore.ToDocument(session);

        Assert.That(document, Is.EqualTo(new BsonDocument
        {
            { "_id", "f1e2d3c4-b5a6-4789-8a0b-1c2d3e4f5a6b" },
            { "userId", "0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21" },
            { "createdAt", new BsonDateTime(Created.ToUnixTimeMilliseconds()) },
            { "expiresAt", new BsonDateTime(Later.ToUnixTimeMilliseconds()) },
            // Present and null, so the { revokedAt: null } filter is about this field, not its absence.
            { "revokedAt", BsonNull.Value },
        }));
        Assert.That(MongoSessionStore.SessionFromDocument(ThroughBson(document)), Is.EqualTo(session));

        var revoked = session with { RevokedAt = Created.AddHours(1) };
        Assert.That(MongoSessionStore.ToDocument(revoked)["revokedAt"].BsonType, Is.EqualTo(BsonType.DateTime));
        Assert.That(MongoSessionStore.SessionFromDocument(ThroughBson(MongoSessionStore.ToDocument(revoked))), Is.EqualTo(revoked));
    }

    [Test]
    public void ARefreshTokenIsKeyedByItsHash()
    {
        var token = new RefreshTokenRecord("q1w2e3r4t5y6u7i8o9p0", SessionId, UserId, Created, Later, null);

        var document = MongoSessionStore.ToDocument(token);

        Assert.That(document, Is.EqualTo(new BsonDocument
        {
            { "_id", "q1w2e3r4t5y6u7i8o9p0" },
            { "sessionId", "f1e2d3c4-b5a6-4789-8a0b-1c2d3e4f5a6b" },
            { "userId", "0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21" },
            { "issuedAt", new BsonDateTime(Created.ToUnixTimeMilliseconds()) },
            { "expiresAt", new BsonDateTime(Later.ToUnixTimeMilliseconds()) },
            { "spentAt", BsonNull.Value },
        }));
        Assert.That(MongoSessionStore.RefreshTokenFromDocument(ThroughBson(document)), Is.EqualTo(token));

        var spent = token with { SpentAt = Created.AddMinutes(5) };
        Assert.That(MongoSessionStore.RefreshTokenFromDocument(ThroughBson(MongoSessionStore.ToDocument(spent))), Is.EqualTo(spent));
    }

    [Test]
    public void ASigningKeyIsGenericBinary()
    {
        byte[] material = [0x30, 0x81, 0x87, 0x00, 0xFF, 0x00];
        var key = new SigningKeyRecord("kid-1", "ES256", material, Created, Later);

        var document = MongoSigningKeyStore.ToDocument(key);

        Assert.That(document, Is.EqualTo(new BsonDocument
        {
            { "_id", "kid-1" },
            { "algorithm", "ES256" },
            { "privateKeyPkcs8", new BsonBinaryData(material, BsonBinarySubType.Binary) },
            { "createdAt", new BsonDateTime(Created.ToUnixTimeMilliseconds()) },
            { "retiresAt", new BsonDateTime(Later.ToUnixTimeMilliseconds()) },
        }));
        var back = MongoSigningKeyStore.FromDocument(ThroughBson(document));
        Assert.That(back.PrivateKeyPkcs8, Is.EqualTo(material));
        Assert.That(back with { PrivateKeyPkcs8 = material }, Is.EqualTo(key));
    }

    [Test]
    public void AWorkspaceCarriesItsOwnerCount()
    {
        var workspace = new Workspace(WorkspaceId, "alpha", Created);

        var document = MongoWorkspaceStore.ToDocument(workspace, ownerCount: 1);

        Assert.That(document, Is.EqualTo(new BsonDocument
        {
            { "_id", "11111111-2222-4333-8444-555555555555" },
            { "name", "alpha" },
            { "createdAt", new BsonDateTime(Created.ToUnixTimeMilliseconds()) },
            { "ownerCount", new BsonInt32(1) },
        }));
        Assert.That(MongoWorkspaceStore.WorkspaceFromDocument(ThroughBson(document)), Is.EqualTo(workspace));
    }

    [TestCase(WorkspaceRole.Owner, "owner")]
    [TestCase(WorkspaceRole.Editor, "editor")]
    [TestCase(WorkspaceRole.Viewer, "viewer")]
    public void AMembershipIsKeyedByWorkspaceAndUserWithItsRoleAsAWord(WorkspaceRole role, string word)
    {
        var document = MongoWorkspaceStore.ToMembershipDocument(WorkspaceId, UserId, role);

        Assert.That(document, Is.EqualTo(new BsonDocument
        {
            { "_id", "11111111-2222-4333-8444-555555555555:0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21" },
            { "workspaceId", "11111111-2222-4333-8444-555555555555" },
            { "userId", "0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21" },
            { "role", word },
        }));
    }

    [Test]
    public void TimesKeepTheMillisecondAndComeBackAsUtc()
    {
        var time = new DateTimeOffset(2026, 7, 8, 9, 10, 11, TimeSpan.FromHours(-5)).AddTicks(1234567);
        var user = new UserAccount(UserId, "u", "u", "u", "h", time);

        var back = MongoUserStore.FromDocument(ThroughBson(MongoUserStore.ToDocument(user))).CreatedAt;

        Assert.That(back.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(back, Is.EqualTo(time.AddTicks(-(time.UtcTicks % TimeSpan.TicksPerMillisecond))));
    }

    [Test]
    public void AnUnknownRoleInTheStoreIsAnError()
    {
        var document = MongoWorkspaceStore.ToMembershipDocument(WorkspaceId, UserId, WorkspaceRole.Viewer);
        document["role"] = "admin";

        Assert.That(() => MongoValues.ReadRole(document["role"]), Throws.TypeOf<InvalidDataException>());
    }

    /// <summary>Through the wire format and back, as the server would hand it out.</summary>
    private static BsonDocument ThroughBson(BsonDocument document) =>
        BsonSerializer.Deserialize<BsonDocument>(document.ToBson());
}
