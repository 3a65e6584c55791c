using System.Net;
using System.Reflection;
using Microsoft.Data.Sqlite;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.ServiceDefaults.UnitTests;

/// <summary>
/// A write that lost a race to a unique key is an answer ("taken", "someone else was first");
/// every other failure must still surface as an error, in either store.
/// </summary>
public sealed class DuplicateKeyTests
{
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("mongo", 27017)));

    // Constraints SQLite enforces, each refused by the statement named after it.
    private const string SqliteTable = """
        CREATE TABLE notes (id INTEGER PRIMARY KEY, name TEXT UNIQUE, text TEXT NOT NULL CHECK (length(text) < 5));
        INSERT INTO notes VALUES (1, 'a', 'x');
        """;

    [TestCase("INSERT INTO notes VALUES (2, 'a', 'x')", TestName = "SQLite: a UNIQUE column already holding the value")]
    [TestCase("INSERT INTO notes VALUES (1, 'b', 'x')", TestName = "SQLite: a primary key already taken")]
    [TestCase("INSERT INTO notes VALUES (2, 'b', 'x'); UPDATE notes SET name = 'a' WHERE id = 2", TestName = "SQLite: an update onto a UNIQUE value")]
    public void ASqliteKeyConstraintIsADuplicateKey(string statement) =>
        Assert.That(DuplicateKey.Is(SqliteFailure(statement)), Is.True);

    [TestCase("INSERT INTO notes VALUES (2, 'b', NULL)", TestName = "SQLite: NOT NULL")]
    [TestCase("INSERT INTO notes VALUES (2, 'b', 'too long')", TestName = "SQLite: CHECK")]
    [TestCase("INSERT INTO missing VALUES (1)", TestName = "SQLite: no such table")]
    public void OtherSqliteFailuresAreNot(string statement) =>
        Assert.That(DuplicateKey.Is(SqliteFailure(statement)), Is.False);

    [Test]
    public void ABusySqliteDatabaseIsNot() =>
        Assert.That(DuplicateKey.Is(new SqliteException("database is locked", 5, 5)), Is.False);

    [TestCase(11000)]
    [TestCase(11001)]
    [TestCase(12582)]
    public void AMongoWriteErrorWithADuplicateKeyCodeIsADuplicateKey(int code) =>
        Assert.That(DuplicateKey.Is(WriteFailure(code)), Is.True);

    [TestCase(121, TestName = "Mongo write: document failed validation")]
    [TestCase(50, TestName = "Mongo write: time limit exceeded")]
    public void OtherMongoWriteErrorsAreNot(int code) =>
        Assert.That(DuplicateKey.Is(WriteFailure(code)), Is.False);

    [Test]
    public void AMongoWriteFailureWithoutAWriteErrorIsNot() =>
        Assert.That(DuplicateKey.Is(new MongoWriteException(Connection, writeError: null, writeConcernError: null, innerException: null)), Is.False);

    [TestCase(11000)]
    [TestCase(11001)]
    [TestCase(12582)]
    public void AMongoCommandFailingWithADuplicateKeyCodeIsADuplicateKey(int code) =>
        Assert.That(DuplicateKey.Is(CommandFailure(code)), Is.True);

    [TestCase(112, TestName = "Mongo command: write conflict")]
    [TestCase(26, TestName = "Mongo command: namespace not found")]
    public void OtherMongoCommandFailuresAreNot(int code) =>
        Assert.That(DuplicateKey.Is(CommandFailure(code)), Is.False);

    [Test]
    public void AMongoBulkWriteRefusedOnlyForDuplicatesIsADuplicateKey() =>
        Assert.That(DuplicateKey.Is(BulkFailure(11000, 11001)), Is.True);

    [Test]
    public void AMongoBulkWriteWithAnyOtherErrorIsNot() =>
        Assert.That(DuplicateKey.Is(BulkFailure(11000, 121)), Is.False);

    [Test]
    public void TheDriversDuplicateKeyExceptionIsADuplicateKey()
    {
        var result = new WriteConcernResult(new BsonDocument { { "ok", 1 }, { "err", "E11000 duplicate key error" }, { "code", 11000 } });

        Assert.That(DuplicateKey.Is(new MongoDuplicateKeyException(Connection, "E11000 duplicate key error", result)), Is.True);
    }

    [Test]
    public void AnUnreachableMongoServerIsNot() =>
        Assert.That(DuplicateKey.Is(new MongoConnectionException(Connection, "connection refused")), Is.False);

    [Test]
    public void AnExceptionFromElsewhereIsNot() =>
        Assert.That(DuplicateKey.Is(new InvalidOperationException("duplicate key")), Is.False);

    private static SqliteException SqliteFailure(string statement)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = SqliteTable;
        create.ExecuteNonQuery();
        using var command = connection.CreateCommand();
        command.CommandText = statement;
        return Assert.Throws<SqliteException>(() => command.ExecuteNonQuery())!;
    }

    private static MongoCommandException CommandFailure(int code)
    {
        var message = $"command failed with code {code}";
        return new MongoCommandException(Connection, message, new BsonDocument(), new BsonDocument
        {
            { "ok", 0 },
            { "errmsg", message },
            { "code", code },
        });
    }

    private static MongoWriteException WriteFailure(int code) =>
        new(Connection, Driver<WriteError>(Category(code), code, $"write failed with code {code}", new BsonDocument()), null, null);

    private static MongoBulkWriteException<BsonDocument> BulkFailure(params int[] codes)
    {
        var errors = codes.Select((code, index) =>
            Driver<BulkWriteError>(index, Category(code), code, $"write {index} failed with code {code}", new BsonDocument()));
        var requests = codes.Select(_ => new InsertOneModel<BsonDocument>(new BsonDocument())).ToList();
        var result = new BulkWriteResult<BsonDocument>.Unacknowledged(requests.Count, requests);
        return new MongoBulkWriteException<BsonDocument>(Connection, result, errors, null, requests);
    }

    /// <summary>The category the driver files a server's error code under, as it does when it reads a reply.</summary>
    private static ServerErrorCategory Category(int code) => code switch
    {
        50 => ServerErrorCategory.ExecutionTimeout,
        11000 or 11001 or 12582 => ServerErrorCategory.DuplicateKey,
        _ => ServerErrorCategory.Uncategorized,
    };

    /// <summary>
    /// The driver builds its write errors from a server's reply and keeps their constructors to
    /// itself; without a server, the test calls the same constructor the driver calls.
    /// </summary>
    private static T Driver<T>(params object[] arguments) =>
        (T)Activator.CreateInstance(typeof(T), BindingFlags.Instance | BindingFlags.NonPublic, binder: null, arguments, culture: null)!;
}
