namespace WebIde.ServiceDefaults.Storage;

/// <summary>Which adapter a service's storage port uses, decided by its <c>store</c> connection string.</summary>
public enum StoreKind
{
    /// <summary>An embedded database file under the data folder (the <c>local</c> mode).</summary>
    Sqlite,

    /// <summary>A MongoDB server (the <c>containers</c> mode and production).</summary>
    MongoDb,
}
