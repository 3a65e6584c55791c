namespace WebIde.FileSystem.Apis;

/// <summary>
/// What a workspace holds against its quota, and <see cref="Account"/> what the account that
/// pays for it (its longest-standing owner) holds with all its workspaces; null when no owner is known.
/// </summary>
public sealed record UsageResponse(long Bytes, int Entries, long MaxBytes, int MaxEntries, AccountUsageResponse? Account);
