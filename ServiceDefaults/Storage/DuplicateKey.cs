using Microsoft.Data.Sqlite;
using MongoDB.Driver;

namespace WebIde.ServiceDefaults.Storage;

/// <summary>
/// Whether a write failed only because a unique key (a unique index, a UNIQUE constraint or the
/// primary key) already holds the value: the one failure the stores turn into an answer ("taken",
/// "someone else was first") instead of an error. Both adapters of a port agree through it.
/// </summary>
public static class DuplicateKey
{
    // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE; the other SQLITE_CONSTRAINT
    // kinds (NOT NULL, CHECK, FOREIGN KEY) are bugs, not a race lost.
    private const int SqlitePrimaryKey = 1555;
    private const int SqliteUnique = 2067;

    public static bool Is(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqlitePrimaryKey or SqliteUnique,
        MongoDuplicateKeyException => true,
        // An insert, update or replace of one document.
        MongoWriteException write => write.WriteError is { } error && IsMongoCode(error.Code),
        // A bulk write: a duplicate only when that is all that went wrong.
        MongoBulkWriteException bulk => bulk.WriteErrors.Count > 0
            && bulk.WriteConcernError is null
            && bulk.WriteErrors.All(error => IsMongoCode(error.Code)),
        // findAndModify (an upsert that collided) and other commands.
        MongoCommandException command => IsMongoCode(command.Code),
        _ => false,
    };

    // E11000, and the older 11001 and 12582 the driver files under the same category.
    private static bool IsMongoCode(int code) => code is 11000 or 11001 or 12582;
}
