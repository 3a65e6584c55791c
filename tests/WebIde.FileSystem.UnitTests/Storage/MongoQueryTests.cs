using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage.Mongo;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>The filters, updates, sorts, pipelines and indexes the MongoDB adapter sends, rendered as the driver renders them.</summary>
public sealed class MongoQueryTests
{
    private const string Workspace = "11111111-2222-4333-8444-555555555555";

    private static readonly Guid WorkspaceId = Guid.Parse(Workspace);
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);
    private static readonly BsonDateTime NowInBson = new(Now.ToUnixTimeMilliseconds());

    private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    [Test]
    public void ReadsAreScopedToTheWorkspace()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Render(MongoFileQueries.EntriesOf(WorkspaceId)), Is.EqualTo(new BsonDocument("workspaceId", Workspace)));
            Assert.That(Render(MongoFileQueries.FilesOf(WorkspaceId)), Is.EqualTo(new BsonDocument { { "workspaceId", Workspace }, { "type", "file" } }));
            Assert.That(Render(MongoFileQueries.FileAt(WorkspaceId, "a/b.txt")), Is.EqualTo(new BsonDocument { { "_id", $"{Workspace}/a/b.txt" }, { "type", "file" } }));
            Assert.That(Render(MongoFileQueries.TombstonesOf(WorkspaceId)), Is.EqualTo(new BsonDocument("workspaceId", Workspace)));
            Assert.That(Render(MongoFileQueries.ChangesOf(WorkspaceId)), Is.EqualTo(new BsonDocument("workspaceId", Workspace)));
        });
    }

    [Test]
    public void APathAndItsAncestorsAreFoundByKeyInOneQuery()
    {
        Assert.That(Render(MongoFileQueries.At(WorkspaceId, ["a", "a/b", "a/b/c.txt", "a"])), Is.EqualTo(new BsonDocument(
            "_id", new BsonDocument("$in", new BsonArray { $"{Workspace}/a", $"{Workspace}/a/b", $"{Workspace}/a/b/c.txt" }))));
    }

    [Test]
    public void ASubtreeIsTheEntryAndTheKeyRangeBelowIt()
    {
        Assert.That(Render(MongoFileQueries.Subtree(WorkspaceId, "src")), Is.EqualTo(new BsonDocument
        {
            { "workspaceId", Workspace },
            {
                "$or", new BsonArray
                {
                    new BsonDocument("path", "src"),
                    // '0' follows '/': src2 and src-x fall outside, src/… inside.
                    new BsonDocument("path", new BsonDocument { { "$gte", "src/" }, { "$lt", "src0" } }),
                }
            },
        }));
    }

    [Test]
    public void AFilesContentIsReplacedOnlyAtTheVersionItWasRead()
    {
        byte[] content = [1, 2, 3];

        Assert.Multiple(() =>
        {
            Assert.That(Render(MongoFileQueries.FileAtVersion(WorkspaceId, "a.txt", 4)), Is.EqualTo(new BsonDocument
            {
                { "_id", $"{Workspace}/a.txt" },
                { "type", "file" },
                { "version", new BsonInt64(4) },
            }));
            Assert.That(Render(MongoFileQueries.Rewrite(content, content.Length, 5, Now, 9)), Is.EqualTo(new BsonDocument("$set", new BsonDocument
            {
                { "size", new BsonInt64(3) },
                { "version", new BsonInt64(5) },
                { "modifiedAt", NowInBson },
                { "sequence", new BsonInt64(9) },
                { "content", new BsonBinaryData(content, BsonBinarySubType.Binary) },
            })));
        });
    }

    [Test]
    public void TreesAreReadInPathOrderWithoutContent()
    {
        Assert.Multiple(() =>
        {
            Assert.That(MongoFileQueries.PathOrder.Render(Args), Is.EqualTo(new BsonDocument("path", 1)));
            Assert.That(MongoFileQueries.WithoutContent.Render(Args), Is.EqualTo(new BsonDocument("content", 0)));
        });
    }

    [Test]
    public void ATombstoneOnlyEverRises()
    {
        Assert.That(Render(MongoFileQueries.Bury(WorkspaceId, "a/b.txt", 6)), Is.EqualTo(new BsonDocument
        {
            { "$max", new BsonDocument("version", new BsonInt64(6)) },
            { "$setOnInsert", new BsonDocument { { "workspaceId", Workspace }, { "path", "a/b.txt" } } },
        }));
    }

    [Test]
    public void TheLeaseIsTakenOnlyWhenNobodyHoldsItOrItRanOut()
    {
        Assert.Multiple(() =>
        {
            // $not matches a missing or null leaseUntil too: a released or brand-new workspace.
            Assert.That(Render(MongoFileQueries.FreeWorkspace(WorkspaceId, Now)), Is.EqualTo(new BsonDocument
            {
                { "_id", Workspace },
                { "leaseUntil", new BsonDocument("$not", new BsonDocument("$gt", NowInBson)) },
            }));
            Assert.That(Render(MongoFileQueries.TakeLease("me", Now.AddSeconds(30))), Is.EqualTo(new BsonDocument
            {
                { "$set", new BsonDocument { { "leaseOwner", "me" }, { "leaseUntil", new BsonDateTime(Now.AddSeconds(30).ToUnixTimeMilliseconds()) } } },
                {
                    "$setOnInsert", new BsonDocument
                    {
                        { "lastSequence", new BsonInt64(0) },
                        { "bytes", new BsonInt64(0) },
                        { "entries", new BsonInt64(0) },
                        { "lastChangeAt", BsonNull.Value },
                    }
                },
            }));
            Assert.That(Render(MongoFileQueries.HeldBy(WorkspaceId, "me")), Is.EqualTo(new BsonDocument { { "_id", Workspace }, { "leaseOwner", "me" } }));
            Assert.That(Render(MongoFileQueries.RenewLease(Now)), Is.EqualTo(new BsonDocument("$set", new BsonDocument("leaseUntil", NowInBson))));
        });
    }

    [Test]
    public void QuotaIsReservedOnlyByTheHolderAndOnlyWithRoom()
    {
        var limits = new FileLimits { MaxWorkspaceBytes = 1_000, MaxWorkspaceEntries = 50 };

        Assert.Multiple(() =>
        {
            Assert.That(Render(MongoFileQueries.HeldWithRoomFor(WorkspaceId, "me", 300, 2, limits)), Is.EqualTo(new BsonDocument
            {
                { "_id", Workspace },
                { "leaseOwner", "me" },
                { "bytes", new BsonDocument("$lte", new BsonInt64(700)) },
                { "entries", new BsonDocument("$lte", new BsonInt64(48)) },
            }));
            // Shrinking is never refused: a delete goes through even over a lowered quota.
            Assert.That(Render(MongoFileQueries.HeldWithRoomFor(WorkspaceId, "me", -300, -2, limits)),
                Is.EqualTo(new BsonDocument { { "_id", Workspace }, { "leaseOwner", "me" } }));
            Assert.That(Render(MongoFileQueries.HeldWithRoomFor(WorkspaceId, "me", -10, 1, limits)), Is.EqualTo(new BsonDocument
            {
                { "_id", Workspace },
                { "leaseOwner", "me" },
                { "entries", new BsonDocument("$lte", new BsonInt64(49)) },
            }));
            Assert.That(Render(MongoFileQueries.Reserve(300, -2)), Is.EqualTo(new BsonDocument(
                "$inc", new BsonDocument { { "bytes", new BsonInt64(300) }, { "entries", new BsonInt64(-2) } })));
        });
    }

    [Test]
    public void ReleasingPublishesTheNumberingAndDropsTheLease()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Render(MongoFileQueries.Release(12, Now)), Is.EqualTo(new BsonDocument
            {
                { "$set", new BsonDocument { { "lastSequence", new BsonInt64(12) }, { "lastChangeAt", NowInBson } } },
                { "$unset", new BsonDocument { { "leaseOwner", 1 }, { "leaseUntil", 1 } } },
            }));
            Assert.That(Render(MongoFileQueries.MarkDeleted()), Is.EqualTo(new BsonDocument
            {
                {
                    "$set", new BsonDocument
                    {
                        { "deleted", true },
                        { "lastSequence", new BsonInt64(0) },
                        { "lastChangeAt", BsonNull.Value },
                        { "bytes", new BsonInt64(0) },
                        { "entries", new BsonInt64(0) },
                    }
                },
                { "$unset", new BsonDocument { { "leaseOwner", 1 }, { "leaseUntil", 1 }, { "needsRepair", 1 } } },
            }));
            Assert.That(Render(MongoFileQueries.ReleaseForRepair()), Is.EqualTo(new BsonDocument
            {
                { "$set", new BsonDocument("needsRepair", true) },
                { "$unset", new BsonDocument { { "leaseOwner", 1 }, { "leaseUntil", 1 } } },
            }));
            Assert.That(Render(MongoFileQueries.Repaired(12, 345, 6, null)), Is.EqualTo(new BsonDocument
            {
                {
                    "$set", new BsonDocument
                    {
                        { "lastSequence", new BsonInt64(12) },
                        { "bytes", new BsonInt64(345) },
                        { "entries", new BsonInt64(6) },
                        { "lastChangeAt", BsonNull.Value },
                    }
                },
                { "$unset", new BsonDocument("needsRepair", 1) },
            }));
        });
    }

    [Test]
    public void ARepairRecountsFromTheEntries()
    {
        Assert.That(MongoFileQueries.Recount(WorkspaceId), Is.EqualTo(new[]
        {
            new BsonDocument("$match", new BsonDocument("workspaceId", Workspace)),
            new BsonDocument("$group", new BsonDocument
            {
                { "_id", BsonNull.Value },
                { "bytes", new BsonDocument("$sum", "$size") },
                { "entries", new BsonDocument("$sum", 1) },
            }),
        }));
    }

    [Test]
    public void ChangesAreReadAfterANumberInOrder()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Render(MongoFileQueries.ChangesAfter(WorkspaceId, 7)), Is.EqualTo(new BsonDocument
            {
                { "workspaceId", Workspace },
                { "sequence", new BsonDocument("$gt", new BsonInt64(7)) },
            }));
            Assert.That(MongoFileQueries.SequenceOrder.Render(Args), Is.EqualTo(new BsonDocument("sequence", 1)));
            Assert.That(MongoFileQueries.NewestFirst.Render(Args), Is.EqualTo(new BsonDocument("sequence", -1)));
        });
    }

    [Test]
    public void TheOutboxHandsOutTheOldestUnpublishedAndTheTrimDropsOldPublished()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Render(MongoFileQueries.Unpublished), Is.EqualTo(new BsonDocument("published", false)));
            Assert.That(MongoFileQueries.OutboxOrder.Render(Args), Is.EqualTo(new BsonDocument { { "at", 1 }, { "workspaceId", 1 }, { "sequence", 1 } }));
            Assert.That(Render(MongoFileQueries.Numbered(WorkspaceId, [3, 4])), Is.EqualTo(new BsonDocument
            {
                { "workspaceId", Workspace },
                { "sequence", new BsonDocument("$in", new BsonArray { new BsonInt64(3), new BsonInt64(4) }) },
            }));
            Assert.That(Render(MongoFileQueries.Publish), Is.EqualTo(new BsonDocument("$set", new BsonDocument("published", true))));
            Assert.That(Render(MongoFileQueries.PublishedBefore(Now)), Is.EqualTo(new BsonDocument
            {
                { "published", true },
                { "at", new BsonDocument("$lt", NowInBson) },
            }));
        });
    }

    [Test]
    public void TheIndexesServeEveryQueryAndMakeNumbersAndPathsUnique()
    {
        var indexes = MongoFileIndexes.Definitions
            .Select(definition => (definition.Collection, definition.Index.Options.Name, Keys: definition.Index.Keys.Render(Args), Unique: definition.Index.Options.Unique ?? false))
            .ToList();

        Assert.That(indexes, Is.EquivalentTo(new[]
        {
            ("entries", "workspaceId_path_unique", new BsonDocument { { "workspaceId", 1 }, { "path", 1 } }, true),
            ("tombstones", "workspaceId", new BsonDocument("workspaceId", 1), false),
            ("changes", "workspaceId_sequence_unique", new BsonDocument { { "workspaceId", 1 }, { "sequence", 1 } }, true),
            ("changes", "published_at_workspaceId_sequence", new BsonDocument { { "published", 1 }, { "at", 1 }, { "workspaceId", 1 }, { "sequence", 1 } }, false),
            ("owners", "workspaceId", new BsonDocument("workspaceId", 1), false),
            ("owners", "userId", new BsonDocument("userId", 1), false),
        }));
    }

    [Test]
    public void TheCollectionsAreNamedAsDocumented()
    {
        Assert.That(
            new[]
            {
                MongoFileDocuments.EntriesCollection, MongoFileDocuments.TombstonesCollection, MongoFileDocuments.ChangesCollection,
                MongoFileDocuments.WorkspacesCollection, MongoFileDocuments.OwnersCollection, MongoFileDocuments.AccountsCollection,
            },
            Is.EqualTo(new[] { "entries", "tombstones", "changes", "workspaces", "owners", "accounts" }));
    }

    [Test]
    public void AnOwnerRecordedAgainKeepsTheEarlierTime()
    {
        var (workspace, user) = (Guid.Parse("6f1c0f1e-0000-4000-8000-000000000001"), Guid.Parse("9b2c4a7e-5d1f-4c3a-8e6b-2f0d9a1c7e55"));
        var since = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        Assert.That(Render(MongoFileQueries.RecordOwner(workspace, user, since)), Is.EqualTo(new BsonDocument
        {
            { "$setOnInsert", new BsonDocument { { "workspaceId", workspace.ToString("D") }, { "userId", user.ToString("D") } } },
            { "$min", new BsonDocument("since", new BsonDateTime(since.ToUnixTimeMilliseconds())) },
        }));
    }

    private static BsonDocument Render(FilterDefinition<BsonDocument> filter) => filter.Render(Args);

    private static BsonValue Render(UpdateDefinition<BsonDocument> update) => update.Render(Args);
}
