namespace WebIde.Contracts.FileSystem.V1;

/// <summary>Limits of the Files API (filesystem.proto) that the service and its callers must agree on.</summary>
public static class FilesLimits
{
    /// <summary>The most items one <c>WriteFiles</c> call may carry; a larger call is refused as a whole.</summary>
    public const int MaxWritesPerCall = 256;
}
