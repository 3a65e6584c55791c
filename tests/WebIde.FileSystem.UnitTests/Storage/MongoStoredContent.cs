using MongoDB.Bson;
using MongoDB.Driver;
using WebIde.FileSystem.Storage.Mongo;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>A file's content as the MongoDB adapter keeps it: the <c>content</c> field of its entry.</summary>
internal static class MongoStoredContent
{
    public static async Task<byte[]?> ReadAsync(IMongoDatabase database, Guid workspaceId, string path)
    {
        var document = await Entries(database).Find(ById(workspaceId, path)).FirstOrDefaultAsync();
        return document?[MongoFileDocuments.ContentField].AsBsonBinaryData.Bytes;
    }

    public static async Task WriteAsync(IMongoDatabase database, Guid workspaceId, string path, byte[] stored)
    {
        var updated = await Entries(database).UpdateOneAsync(ById(workspaceId, path),
            Builders<BsonDocument>.Update.Set(MongoFileDocuments.ContentField, new BsonBinaryData(stored, BsonBinarySubType.Binary)));
        Assert.That(updated.MatchedCount, Is.EqualTo(1), $"no stored file {path}");
    }

    private static IMongoCollection<BsonDocument> Entries(IMongoDatabase database) =>
        database.GetCollection<BsonDocument>(MongoFileDocuments.EntriesCollection);

    private static FilterDefinition<BsonDocument> ById(Guid workspaceId, string path) =>
        Builders<BsonDocument>.Filter.Eq("_id", $"{workspaceId:D}/{path}");
}
