using MongoDB.Bson;
using MongoDB.Driver;

namespace WebIde.Identity.Storage.Mongo;

/// <summary>
/// Sessions and refresh tokens (<c>_id</c> = the token's hash). Spending a token is a
/// conditional update of that one document, so of two concurrent exchanges exactly one wins;
/// the replacement is inserted after it. Without a multi-document transaction a crash between
/// the two leaves the token spent and no replacement: the user signs in again, which is safe.
/// </summary>
public sealed class MongoSessionStore(IMongoDatabase database) : ISessionStore
{
    internal const string SessionsCollectionName = "sessions";
    internal const string RefreshTokensCollectionName = "refreshTokens";
    internal const string SpentAtField = "spentAt";
    internal const string RevokedAtField = "revokedAt";

    private readonly IMongoCollection<BsonDocument> _sessions = database.GetCollection<BsonDocument>(SessionsCollectionName);
    private readonly IMongoCollection<BsonDocument> _refreshTokens = database.GetCollection<BsonDocument>(RefreshTokensCollectionName);

    internal static BsonDocument ToDocument(LoginSession session) => new()
    {
        { "_id", MongoValues.Id(session.Id) },
        { "userId", MongoValues.Id(session.UserId) },
        { "createdAt", MongoValues.Time(session.CreatedAt) },
        { "expiresAt", MongoValues.Time(session.ExpiresAt) },
        { RevokedAtField, MongoValues.Time(session.RevokedAt) },
    };

    internal static LoginSession SessionFromDocument(BsonDocument document) => new(
        MongoValues.ReadId(document["_id"]),
        MongoValues.ReadId(document["userId"]),
        MongoValues.ReadTime(document["createdAt"]),
        MongoValues.ReadTime(document["expiresAt"]),
        MongoValues.ReadNullableTime(document.GetValue(RevokedAtField, BsonNull.Value)));

    internal static BsonDocument ToDocument(RefreshTokenRecord token) => new()
    {
        { "_id", token.TokenHash },
        { "sessionId", MongoValues.Id(token.SessionId) },
        { "userId", MongoValues.Id(token.UserId) },
        { "issuedAt", MongoValues.Time(token.IssuedAt) },
        { "expiresAt", MongoValues.Time(token.ExpiresAt) },
        { SpentAtField, MongoValues.Time(token.SpentAt) },
    };

    internal static RefreshTokenRecord RefreshTokenFromDocument(BsonDocument document) => new(
        document["_id"].AsString,
        MongoValues.ReadId(document["sessionId"]),
        MongoValues.ReadId(document["userId"]),
        MongoValues.ReadTime(document["issuedAt"]),
        MongoValues.ReadTime(document["expiresAt"]),
        MongoValues.ReadNullableTime(document.GetValue(SpentAtField, BsonNull.Value)));

    /// <summary><c>{ _id: hash, spentAt: null }</c>: only a token nobody has exchanged yet.</summary>
    internal static FilterDefinition<BsonDocument> UnspentToken(string tokenHash) =>
        MongoValues.Filter.And(
            MongoValues.ById(tokenHash),
            MongoValues.Filter.Eq(SpentAtField, BsonNull.Value));

    internal static UpdateDefinition<BsonDocument> Spend(DateTimeOffset now) =>
        MongoValues.Update.Set(SpentAtField, MongoValues.Time(now));

    internal static FilterDefinition<BsonDocument> UnrevokedSession(Guid sessionId) =>
        MongoValues.Filter.And(
            MongoValues.ById(MongoValues.Id(sessionId)),
            MongoValues.Filter.Eq(RevokedAtField, BsonNull.Value));

    internal static UpdateDefinition<BsonDocument> Revoke(DateTimeOffset now) =>
        MongoValues.Update.Set(RevokedAtField, MongoValues.Time(now));

    public async Task CreateAsync(LoginSession session, RefreshTokenRecord firstRefreshToken, CancellationToken cancellationToken)
    {
        // The session first: a token never points at a session that is not there.
        await _sessions.InsertOneAsync(ToDocument(session), cancellationToken: cancellationToken);
        await _refreshTokens.InsertOneAsync(ToDocument(firstRefreshToken), cancellationToken: cancellationToken);
    }

    public async Task<LoginSession?> FindAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var document = await _sessions.Find(MongoValues.ById(MongoValues.Id(sessionId))).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : SessionFromDocument(document);
    }

    public async Task<RefreshTokenRecord?> FindRefreshTokenAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var document = await _refreshTokens.Find(MongoValues.ById(tokenHash)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : RefreshTokenFromDocument(document);
    }

    public async Task<bool> TrySpendAsync(string spentHash, RefreshTokenRecord replacement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var spent = await _refreshTokens.FindOneAndUpdateAsync(
            UnspentToken(spentHash),
            Spend(now),
            new FindOneAndUpdateOptions<BsonDocument> { Projection = Builders<BsonDocument>.Projection.Include("_id") },
            cancellationToken);
        if (spent is null)
        {
            return false;
        }

        await _refreshTokens.InsertOneAsync(ToDocument(replacement), cancellationToken: cancellationToken);
        return true;
    }

    public async Task<bool> RevokeAsync(Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = await _sessions.UpdateOneAsync(UnrevokedSession(sessionId), Revoke(now), cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }
}
