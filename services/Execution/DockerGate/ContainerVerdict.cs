namespace WebIde.Execution.DockerGate;

/// <summary>Whether a container may be named through the gate; if not, the status and message the caller gets.</summary>
public sealed record ContainerVerdict(bool IsOwned, int Status, string Message)
{
    public static readonly ContainerVerdict Owned = new(true, StatusCodes.Status200OK, "");

    public static ContainerVerdict Foreign(string id) =>
        new(false, StatusCodes.Status403Forbidden, $"container {id} is not one of this installation's sandboxes");
}
