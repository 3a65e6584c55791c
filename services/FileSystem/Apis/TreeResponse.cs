namespace WebIde.FileSystem.Apis;

public sealed record TreeResponse(IReadOnlyList<TreeEntryResponse> Entries);
