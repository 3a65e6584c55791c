namespace WebIde.ServiceDefaults.Storage;

/// <summary>
/// Idempotent DDL an adapter needs (<c>CREATE … IF NOT EXISTS</c>), applied once per process
/// before the first connection is handed out.
/// </summary>
public sealed record SqliteSchema(string Name, string Sql);
