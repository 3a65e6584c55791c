namespace WebIde.Execution.DockerGate;

/// <summary>The Docker API calls the execution service makes, and so the only ones the gate lets through.</summary>
public enum DockerCallKind
{
    /// <summary><c>GET|HEAD /_ping</c>: the health check, and the gate's own readiness.</summary>
    Ping,

    /// <summary><c>GET /images/{name}/json</c>: the health check's look at the runner image.</summary>
    ImageInspect,

    /// <summary><c>GET /containers/json</c>: the sweeper's and a workspace deletion's search, by label.</summary>
    ContainerList,

    /// <summary><c>POST /containers/create</c>: a sandbox, or the unstarted container the language versions are read from.</summary>
    ContainerCreate,

    /// <summary><c>GET /containers/{id}/json</c>: whether the kernel killed the agent.</summary>
    ContainerInspect,

    /// <summary><c>POST /containers/{id}/attach</c>: the agent's stdin and stdout, a hijacked connection.</summary>
    ContainerAttach,

    /// <summary><c>POST /containers/{id}/start</c>.</summary>
    ContainerStart,

    /// <summary><c>GET /containers/{id}/archive</c>: the image's language versions file.</summary>
    ContainerArchive,

    /// <summary><c>DELETE /containers/{id}</c>.</summary>
    ContainerRemove,
}
