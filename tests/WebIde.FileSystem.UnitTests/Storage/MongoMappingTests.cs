using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using WebIde.FileSystem.Storage;
using WebIde.FileSystem.Storage.Mongo;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>
/// The MongoDB adapter's documents, field by field and type by type, without a server: what a
/// file, a directory, a change and a workspace become, and that they come back from the BSON
/// bytes unchanged.
/// </summary>
public sealed class MongoMappingTests
{
    private static readonly Guid WorkspaceId = Guid.Parse("11111111-2222-4333-8444-555555555555");
    private static readonly Guid UserId = Guid.Parse("0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21");
    private static readonly DateTimeOffset Modified = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    [Test]
    public void AFileIsOneDocumentKeyedByWorkspaceAndPath()
    {
        byte[] content = [0x00, 0xFF, 0xEF, 0xBB, 0xBF, 0x80, 0x0A];

        var document = MongoFileDocuments.ToFileDocument(WorkspaceId, "src/main.py", content, content.Length, 7, Modified, 42);

        Assert.That(document, Is.EqualTo(new BsonDocument
        {
            { "_id", "11111111-2222-4333-8444-555555555555/src/main.py" },
            { "workspaceId", "11111111-2222-4333-8444-555555555555" },
            { "path", "src/main.py" },
            { "type", "file" },
            { "size", new BsonInt64(7) },
            { "version", new BsonInt64(7) },
            { "modifiedAt", new BsonDateTime(Modified.ToUnixTimeMilliseconds()) },
            { "sequence", new BsonInt64(42) },
            { "content", new BsonBinaryData(content, BsonBinarySubType.Binary) },
        }));
        var back = ThroughBson(document);
        var stored = MongoFileDocuments.StoredFileFromDocument(back, StoredContent.Throwaway());
        Assert.Multiple(() =>
        {
            Assert.That(stored.Content, Is.EqualTo(content));
            Assert.That(stored with { Content = content }, Is.EqualTo(new StoredFile("src/main.py", content, 7, Modified, 42)));
            Assert.That(MongoFileDocuments.TreeEntryFromDocument(back), Is.EqualTo(new TreeEntry("src/main.py", EntryType.File, 7, 7, Modified)));
            Assert.That(MongoFileDocuments.EntryFromDocument(back), Is.EqualTo(new StoredEntry("src/main.py", EntryType.File, 7, 7)));
        });
    }

    [Test]
    public void ADirectoryHasTheSameFieldsWithNullsWhereAFileHasContent()
    {
        var document = MongoFileDocuments.ToDirectoryDocument(WorkspaceId, "src/lib", 3);

        Assert.That(document, Is.EqualTo(new BsonDocument
        {
            { "_id", "11111111-2222-4333-8444-555555555555/src/lib" },
            { "workspaceId", "11111111-2222-4333-8444-555555555555" },
            { "path", "src/lib" },
            { "type", "directory" },
            { "size", BsonNull.Value },
            { "version", BsonNull.Value },
            { "modifiedAt", BsonNull.Value },
            { "sequence", new BsonInt64(3) },
            { "content", BsonNull.Value },
        }));
        var back = ThroughBson(document);
        Assert.Multiple(() =>
        {
            Assert.That(MongoFileDocuments.TreeEntryFromDocument(back), Is.EqualTo(new TreeEntry("src/lib", EntryType.Directory, null, null, null)));
            Assert.That(MongoFileDocuments.EntryFromDocument(back), Is.EqualTo(new StoredEntry("src/lib", EntryType.Directory, null, null)));
        });
    }

    [Test]
    public void ContentIsGenericBinaryByteForByte()
    {
        var everyByte = Enumerable.Range(0, 256).Select(value => (byte)value).ToArray();

        foreach (var content in new[] { everyByte, [], [0xC3, 0x28, 0xED, 0xA0, 0x80] })
        {
            var document = ThroughBson(MongoFileDocuments.ToFileDocument(WorkspaceId, "blob.bin", content, content.Length, 1, Modified, 1));

            Assert.That(document["content"].AsBsonBinaryData.SubType, Is.EqualTo(BsonBinarySubType.Binary));
            Assert.That(MongoFileDocuments.StoredFileFromDocument(document, StoredContent.Throwaway()).Content, Is.EqualTo(content));
            Assert.That(document["size"].ToInt64(), Is.EqualTo(content.Length));
        }
    }

    [Test]
    public void AChangeKeepsEveryFieldAndIsLoggedUnpublished()
    {
        var change = new FileChange(WorkspaceId, 12, ChangeType.Moved, EntryType.File, "new/name.txt", "old/name.txt", 4, 99, UserId, Modified);

        var document = MongoFileDocuments.ToChangeDocument(change);

        Assert.That(document, Is.EqualTo(new BsonDocument
        {
            { "_id", "11111111-2222-4333-8444-555555555555:12" },
            { "workspaceId", "11111111-2222-4333-8444-555555555555" },
            { "sequence", new BsonInt64(12) },
            { "type", "moved" },
            { "entryType", "file" },
            { "path", "new/name.txt" },
            { "from", "old/name.txt" },
            { "version", new BsonInt64(4) },
            { "size", new BsonInt64(99) },
            { "userId", "0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21" },
            { "at", new BsonDateTime(Modified.ToUnixTimeMilliseconds()) },
            { "published", false },
        }));
        Assert.That(MongoFileDocuments.ChangeFromDocument(ThroughBson(document)), Is.EqualTo(change));
    }

    [Test]
    public void ADirectoryChangeHasNullsWhereAFileChangeHasNumbers()
    {
        var change = new FileChange(WorkspaceId, 1, ChangeType.Created, EntryType.Directory, "src", null, null, null, Guid.Empty, Modified);

        var document = MongoFileDocuments.ToChangeDocument(change);

        Assert.Multiple(() =>
        {
            Assert.That(document["from"], Is.EqualTo(BsonNull.Value));
            Assert.That(document["version"], Is.EqualTo(BsonNull.Value));
            Assert.That(document["size"], Is.EqualTo(BsonNull.Value));
            Assert.That(document["userId"], Is.EqualTo(new BsonString("00000000-0000-0000-0000-000000000000")), "the platform");
            Assert.That(MongoFileDocuments.ChangeFromDocument(ThroughBson(document)), Is.EqualTo(change));
        });
    }

    [TestCase(ChangeType.Created, "created")]
    [TestCase(ChangeType.Changed, "changed")]
    [TestCase(ChangeType.Deleted, "deleted")]
    [TestCase(ChangeType.Moved, "moved")]
    public void ChangeTypesAreTheContractsWords(ChangeType type, string word)
    {
        var document = MongoFileDocuments.ToChangeDocument(new FileChange(WorkspaceId, 1, type, EntryType.File, "a", null, null, null, UserId, Modified));

        Assert.That(document["type"], Is.EqualTo(new BsonString(word)));
        Assert.That(MongoFileDocuments.ChangeFromDocument(document).Type, Is.EqualTo(type));
    }

    [Test]
    public void AnUnknownWordInTheStoreIsAnError()
    {
        var change = MongoFileDocuments.ToChangeDocument(new FileChange(WorkspaceId, 1, ChangeType.Created, EntryType.File, "a", null, 1, 1, UserId, Modified));
        var directory = MongoFileDocuments.ToDirectoryDocument(WorkspaceId, "d", 1);
        change["type"] = "renamed";
        directory["type"] = "symlink";

        Assert.Multiple(() =>
        {
            Assert.That(() => MongoFileDocuments.ChangeFromDocument(change), Throws.TypeOf<InvalidDataException>());
            Assert.That(() => MongoFileDocuments.TreeEntryFromDocument(directory), Throws.TypeOf<InvalidDataException>());
        });
    }

    [Test]
    public void TimesKeepTheMillisecondAndComeBackAsUtc()
    {
        var time = new DateTimeOffset(2026, 7, 8, 9, 10, 11, TimeSpan.FromHours(-5)).AddTicks(1234567);

        var back = MongoFileDocuments.StoredFileFromDocument(ThroughBson(MongoFileDocuments.ToFileDocument(WorkspaceId, "a", [1], 1, 1, time, 1)), StoredContent.Throwaway()).ModifiedAt;

        Assert.That(back.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(back, Is.EqualTo(MongoValues.Truncate(time)));
        Assert.That(time - back, Is.GreaterThanOrEqualTo(TimeSpan.Zero).And.LessThan(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public void ALeaseOnANewWorkspaceStartsFromZero()
    {
        Assert.That(MongoFileDocuments.LeaseFromDocument(WorkspaceId, "me", null), Is.EqualTo(new WorkspaceLease(WorkspaceId, "me", 0, 0, 0, null, Deleted: false)));
        Assert.That(MongoFileDocuments.WasLeftMidChange(null), Is.False);
        Assert.That(MongoFileDocuments.UsageFromDocument(null), Is.EqualTo(new WorkspaceUsage(0, 0)));
    }

    [Test]
    public void ADeletedWorkspacesLeaseSaysSo()
    {
        var workspace = new BsonDocument { { "_id", "11111111-2222-4333-8444-555555555555" }, { "deleted", true } };

        Assert.That(MongoFileDocuments.LeaseFromDocument(WorkspaceId, "me", ThroughBson(workspace)).Deleted, Is.True);
    }

    [Test]
    public void ALeaseReadsTheCountersWhateverIntegerWidthTheServerKept()
    {
        var workspace = new BsonDocument
        {
            { "_id", "11111111-2222-4333-8444-555555555555" },
            { "lastSequence", new BsonInt64(40) },
            // $inc of a 32-bit field by a 32-bit number stays 32-bit.
            { "bytes", new BsonInt32(1234) },
            { "entries", new BsonInt64(17) },
            { "lastChangeAt", new BsonDateTime(Modified.ToUnixTimeMilliseconds()) },
        };

        Assert.Multiple(() =>
        {
            Assert.That(MongoFileDocuments.LeaseFromDocument(WorkspaceId, "me", ThroughBson(workspace)),
                Is.EqualTo(new WorkspaceLease(WorkspaceId, "me", 40, 1234, 17, Modified, Deleted: false)));
            Assert.That(MongoFileDocuments.UsageFromDocument(workspace), Is.EqualTo(new WorkspaceUsage(1234, 17)));
            Assert.That(MongoFileDocuments.WasLeftMidChange(workspace), Is.False, "released: no owner");
        });
    }

    [Test]
    public void AWorkspaceLeftMidChangeIsOneWithAnOwnerStillOnItOrFlaggedForRepair()
    {
        var released = new BsonDocument { { "_id", "w" }, { "lastSequence", 1L }, { "bytes", 0L }, { "entries", 0L }, { "lastChangeAt", BsonNull.Value } };
        var abandoned = released.DeepClone().AsBsonDocument.Add("leaseOwner", "someone").Add("leaseUntil", new BsonDateTime(0));
        var flagged = released.DeepClone().AsBsonDocument.Add("needsRepair", true);

        Assert.Multiple(() =>
        {
            Assert.That(MongoFileDocuments.WasLeftMidChange(released), Is.False);
            Assert.That(MongoFileDocuments.WasLeftMidChange(abandoned), Is.True);
            Assert.That(MongoFileDocuments.WasLeftMidChange(flagged), Is.True);
        });
    }

    /// <summary>Through the wire format and back, as the server would hand it out.</summary>
    private static BsonDocument ThroughBson(BsonDocument document) =>
        BsonSerializer.Deserialize<BsonDocument>(document.ToBson());
}
