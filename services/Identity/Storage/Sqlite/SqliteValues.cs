using System.Globalization;
using Microsoft.Data.Sqlite;

namespace WebIde.Identity.Storage.Sqlite;

/// <summary>
/// How the identity tables spell values. Times are fixed-width ISO-8601 UTC text with all seven
/// fractional digits, so they round-trip to the tick and sort chronologically as text; ids are
/// lower-case Guid text; roles are the API's words (docs/api.md §2), so the file reads like the API.
/// </summary>
internal static class SqliteValues
{
    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static object Time(DateTimeOffset? time) => time is { } value ? Time(value) : DBNull.Value;

    public static DateTimeOffset ReadTime(SqliteDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(
            DateTime.ParseExact(reader.GetString(ordinal), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None),
            DateTimeKind.Utc));

    public static DateTimeOffset? ReadNullableTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    public static string Id(Guid id) => id.ToString("D");

    public static Guid ReadId(SqliteDataReader reader, int ordinal) => Guid.ParseExact(reader.GetString(ordinal), "D");

    public static string Role(WorkspaceRole role) => role switch
    {
        WorkspaceRole.Owner => "owner",
        WorkspaceRole.Editor => "editor",
        WorkspaceRole.Viewer => "viewer",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a workspace role."),
    };

    public static WorkspaceRole ReadRole(string role) => role switch
    {
        "owner" => WorkspaceRole.Owner,
        "editor" => WorkspaceRole.Editor,
        "viewer" => WorkspaceRole.Viewer,
        _ => throw new InvalidDataException($"Unknown workspace role '{role}' in the store."),
    };

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        // Microsoft.Data.Sqlite refuses a command without it while the connection has a transaction.
        command.Transaction = transaction;
        return command;
    }
}
