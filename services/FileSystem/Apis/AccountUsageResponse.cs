namespace WebIde.FileSystem.Apis;

/// <summary>The bytes of every workspace one account pays for, and its quota.</summary>
public sealed record AccountUsageResponse(long Bytes, long MaxBytes);
