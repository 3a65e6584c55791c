using Grpc.Core;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// What became of one <see cref="SnapshotWrite"/>: written at <paramref name="Version"/> (status OK),
/// or refused: FAILED_PRECONDITION when the file moved on, NOT_FOUND when it or its workspace is
/// gone, anything else when the write can only be tried again later.
/// </summary>
public sealed record SnapshotWriteResult(StatusCode Status, long Version = 0, string? Detail = null)
{
    public static SnapshotWriteResult Written(long version) => new(StatusCode.OK, version);
}
