namespace WebIde.FileSystem.Storage;

public enum MutationStatus
{
    /// <summary>Done; <see cref="FileMutation.Changes"/> says what changed (nothing when already so).</summary>
    Done,

    /// <summary>The path (or a move's source) does not exist.</summary>
    NotFound,

    /// <summary>The write's condition was not met (version mismatch, exists, does not exist).</summary>
    PreconditionFailed,

    /// <summary>A parent is a file, a directory stands where a file is written, or a move's target exists.</summary>
    Conflict,

    /// <summary>The workspace's byte or entry quota, its paying account's byte quota, or the file limit, would be exceeded.</summary>
    QuotaExceeded,

    /// <summary>A move of a directory into itself.</summary>
    Invalid,
}
