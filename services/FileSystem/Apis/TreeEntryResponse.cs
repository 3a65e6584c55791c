namespace WebIde.FileSystem.Apis;

/// <summary>A tree entry as docs/api.md §3 spells it; directories leave out size, version and time.</summary>
public sealed record TreeEntryResponse(string Path, string Type, long? Size, long? Version, DateTimeOffset? ModifiedAt);
