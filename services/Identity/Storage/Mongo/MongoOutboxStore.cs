using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Mongo;

/// <summary>
/// The outbox as documents <c>{ _id: sequence, messageId, messageType, body, createdAt, confirmed }</c>.
/// A standalone server has no multi-document transactions, so a message cannot be written with
/// its change. It is written first, as an intent (<see cref="AddIntentAsync"/>, unconfirmed); the
/// change follows; then <see cref="ConfirmAsync"/> marks it, or <see cref="DropAsync"/> removes it
/// when the change was not made. An intent left unconfirmed (the process died, or the change
/// threw with an unknown outcome) is handed to the dispatcher once it is old enough, which
/// publishes it only if the store shows its change in effect. The sequence comes from a
/// counter document (<c>$inc</c>, atomic), so it follows the order the changes began in.
/// </summary>
public sealed class MongoOutboxStore(IMongoDatabase database) : IOutboxStore
{
    internal const string CollectionName = "outbox";
    internal const string CountersCollectionName = "counters";
    internal const string LeaseCollectionName = "outboxLease";
    internal const string ConfirmedField = "confirmed";
    internal const string CreatedAtField = "createdAt";

    private const string CounterId = "outbox";
    private const string LeaseId = "dispatcher";

    private readonly IMongoCollection<BsonDocument> _outbox = database.GetCollection<BsonDocument>(CollectionName);
    private readonly IMongoCollection<BsonDocument> _counters = database.GetCollection<BsonDocument>(CountersCollectionName);
    private readonly IMongoCollection<BsonDocument> _lease = database.GetCollection<BsonDocument>(LeaseCollectionName);

    /// <summary>Writes <paramref name="message"/> as an unconfirmed intent; its sequence.</summary>
    internal async Task<long> AddIntentAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var counter = await _counters.FindOneAndUpdateAsync(
            MongoValues.ById(CounterId),
            MongoValues.Update.Inc("value", 1L),
            new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After },
            cancellationToken);
        var sequence = counter["value"].ToInt64();
        await _outbox.InsertOneAsync(new BsonDocument
        {
            { "_id", sequence },
            { "messageId", MongoValues.Id(message.MessageId) },
            { "messageType", message.MessageType },
            { "body", message.Body },
            { CreatedAtField, MongoValues.Time(message.CreatedAt) },
            { ConfirmedField, false },
        }, cancellationToken: cancellationToken);
        return sequence;
    }

    /// <summary>The intent's change is made: the message may be published.</summary>
    internal Task ConfirmAsync(long sequence) =>
        _outbox.UpdateOneAsync(MongoValues.ById(sequence), MongoValues.Update.Set(ConfirmedField, true), cancellationToken: CancellationToken.None);

    /// <summary>The intent's change was not made (refused, nothing to change): nothing to announce.</summary>
    internal Task DropAsync(long sequence) =>
        _outbox.DeleteOneAsync(MongoValues.ById(sequence), CancellationToken.None);

    public async Task<IReadOnlyList<PendingOutboxMessage>> ReadPendingAsync(int max, DateTimeOffset intentsOlderThan, CancellationToken cancellationToken)
    {
        var documents = await _outbox
            .Find(MongoValues.Filter.Or(
                MongoValues.Filter.Eq(ConfirmedField, true),
                MongoValues.Filter.Lt(CreatedAtField, MongoValues.Time(intentsOlderThan))))
            .Sort(Builders<BsonDocument>.Sort.Ascending("_id"))
            .Limit(max)
            .ToListAsync(cancellationToken);
        return documents
            .Select(document => new PendingOutboxMessage(
                document["_id"].ToInt64(),
                new OutboxMessage(
                    MongoValues.ReadId(document["messageId"]),
                    document["messageType"].AsString,
                    document["body"].AsString,
                    MongoValues.ReadTime(document[CreatedAtField])),
                document[ConfirmedField].AsBoolean))
            .ToList();
    }

    public Task<long> CountPendingAsync(CancellationToken cancellationToken) =>
        _outbox.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: cancellationToken);

    public Task DeleteAsync(long sequence, CancellationToken cancellationToken) =>
        _outbox.DeleteOneAsync(MongoValues.ById(sequence), cancellationToken);

    public async Task<bool> TryLeaseAsync(string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
    {
        try
        {
            // Matches when the lease is ours or ran out; otherwise the upsert collides on _id.
            await _lease.UpdateOneAsync(
                MongoValues.Filter.And(
                    MongoValues.ById(LeaseId),
                    MongoValues.Filter.Or(
                        MongoValues.Filter.Eq("holder", holder),
                        MongoValues.Filter.Lt("until", MongoValues.Time(now)))),
                MongoValues.Update.Set("holder", holder).Set("until", MongoValues.Time(until)),
                new UpdateOptions { IsUpsert = true },
                cancellationToken);
            return true;
        }
        catch (MongoWriteException exception) when (DuplicateKey.Is(exception))
        {
            return false;
        }
    }

    public Task ReleaseLeaseAsync(string holder, CancellationToken cancellationToken) =>
        _lease.DeleteOneAsync(
            MongoValues.Filter.And(MongoValues.ById(LeaseId), MongoValues.Filter.Eq("holder", holder)),
            cancellationToken);
}
