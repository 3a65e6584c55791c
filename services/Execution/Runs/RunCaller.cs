namespace WebIde.Execution.Runs;

/// <summary>
/// Who asks: the id runs are counted against, and the caller's own bearer token, with which the
/// workspace's files are read so that the filesystem applies the caller's role.
/// </summary>
public sealed record RunCaller(string CallerId, string? BearerToken);
