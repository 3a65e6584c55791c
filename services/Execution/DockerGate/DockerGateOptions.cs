using System.ComponentModel.DataAnnotations;

namespace WebIde.Execution.DockerGate;

/// <summary>The <c>DockerGate</c> section: where the gate listens, what it forwards to, and what it lets through.</summary>
public sealed class DockerGateOptions
{
    public const string Section = "DockerGate";

    /// <summary>The Unix socket the gate listens on; the execution service's <c>Sandbox:DockerEndpoint</c> names it.</summary>
    [Required]
    public string Socket { get; set; } = "";

    /// <summary>The real engine: only a <c>unix://</c> endpoint.</summary>
    [Required]
    [RegularExpression("^unix:///.+", ErrorMessage = "DockerGate:DockerEndpoint must be a unix:// socket")]
    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>
    /// <c>uid:gid</c> (numeric) the socket is handed to, so a service running as that user can
    /// connect (the socket is 0660); empty leaves it the gate's own.
    /// </summary>
    [RegularExpression("^([0-9]+:[0-9]+)?$", ErrorMessage = "DockerGate:SocketOwner must be numeric uid:gid")]
    public string SocketOwner { get; set; } = "";

    /// <summary>The images a container may be created from: the runner image execution uses (<c>Sandbox:RunnerImage</c>).</summary>
    [MinLength(1)]
    public string[] AllowedImages { get; set; } = [];

    /// <summary>The installation execution labels its containers with (<c>Sandbox:Installation</c>); only those are reachable.</summary>
    [Required]
    public string Installation { get; set; } = "";

    /// <summary>How long a container's verdict (this installation's or not) is kept: its labels never change.</summary>
    public TimeSpan VerdictLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The engine's socket path, from <see cref="DockerEndpoint"/>.</summary>
    public string DockerSocketPath => new Uri(DockerEndpoint).LocalPath;
}
