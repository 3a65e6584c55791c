using MongoDB.Bson;
using WebIde.FileSystem.UnitTests.Storage.MongoEmulator;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>
/// The emulator's reading of the operators the adapter leans on, checked against what the
/// MongoDB manual says: if the emulator got these wrong, the emulated contract run would prove
/// nothing.
/// </summary>
public sealed class BsonQueryTests
{
    private static readonly BsonDateTime Noon = new(1_700_000_000_000);

    [Test]
    public void NotGreaterThanAlsoMatchesAMissingOrNullField()
    {
        var filter = new BsonDocument("leaseUntil", new BsonDocument("$not", new BsonDocument("$gt", Noon)));

        Assert.Multiple(() =>
        {
            Assert.That(BsonQuery.Matches(new BsonDocument(), filter), Is.True, "missing");
            Assert.That(BsonQuery.Matches(new BsonDocument("leaseUntil", BsonNull.Value), filter), Is.True, "null");
            Assert.That(BsonQuery.Matches(new BsonDocument("leaseUntil", new BsonDateTime(Noon.MillisecondsSinceEpoch - 1)), filter), Is.True, "ran out");
            Assert.That(BsonQuery.Matches(new BsonDocument("leaseUntil", Noon), filter), Is.True, "runs out now");
            Assert.That(BsonQuery.Matches(new BsonDocument("leaseUntil", new BsonDateTime(Noon.MillisecondsSinceEpoch + 1)), filter), Is.False, "held");
        });
    }

    [Test]
    public void RangesNeitherMatchAMissingFieldNorAnotherType()
    {
        var filter = new BsonDocument("bytes", new BsonDocument("$lte", new BsonInt64(700)));

        Assert.Multiple(() =>
        {
            Assert.That(BsonQuery.Matches(new BsonDocument("bytes", new BsonInt32(700)), filter), Is.True, "numbers compare by value, not width");
            Assert.That(BsonQuery.Matches(new BsonDocument("bytes", new BsonInt64(701)), filter), Is.False);
            Assert.That(BsonQuery.Matches(new BsonDocument(), filter), Is.False);
            Assert.That(BsonQuery.Matches(new BsonDocument("bytes", "700"), filter), Is.False);
        });
    }

    [Test]
    public void StringsCompareByTheirUtf8Bytes()
    {
        var subtree = new BsonDocument("path", new BsonDocument { { "$gte", "src/" }, { "$lt", "src0" } });

        Assert.Multiple(() =>
        {
            Assert.That(BsonQuery.Matches(new BsonDocument("path", "src/a"), subtree), Is.True);
            Assert.That(BsonQuery.Matches(new BsonDocument("path", "src2/a"), subtree), Is.False);
            Assert.That(BsonQuery.Matches(new BsonDocument("path", "src-x/a"), subtree), Is.False);
            // U+FF5E is EF BD 9E, an emoji F0 …: the reverse of their UTF-16 order.
            Assert.That(BsonQuery.SortCompare("\uFF5E", "\U0001F600"), Is.LessThan(0));
        });
    }

    [Test]
    public void UpdatesIncrementRaiseUnsetAndSetOnlyOnInsert()
    {
        var document = new BsonDocument { { "_id", "w" }, { "bytes", new BsonInt64(10) }, { "version", new BsonInt64(5) }, { "leaseOwner", "me" } };
        var update = new BsonDocument
        {
            { "$inc", new BsonDocument("bytes", new BsonInt64(-4)) },
            { "$max", new BsonDocument("version", new BsonInt64(3)) },
            { "$unset", new BsonDocument("leaseOwner", 1) },
            { "$setOnInsert", new BsonDocument("entries", new BsonInt64(0)) },
        };

        BsonQuery.Apply(document, update, inserting: false);

        Assert.That(document, Is.EqualTo(new BsonDocument { { "_id", "w" }, { "bytes", new BsonInt64(6) }, { "version", new BsonInt64(5) } }));
    }

    [Test]
    public void AnUpsertStartsFromTheFiltersEqualities()
    {
        var filter = new BsonDocument { { "_id", "w" }, { "leaseUntil", new BsonDocument("$not", new BsonDocument("$gt", Noon)) } };

        Assert.That(BsonQuery.Seed(filter), Is.EqualTo(new BsonDocument("_id", "w")));
    }
}
