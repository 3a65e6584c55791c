namespace WebIde.FileSystem.Apis;

/// <summary>Where the entry is now; a moved file has a new version at its new path.</summary>
public sealed record EntryMoved(string From, string To, string Type, long? Version);
