using System.ComponentModel.DataAnnotations;

namespace WebIde.Execution.Sandbox;

public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>The runner image tag, <c>webide-runner:&lt;hash&gt;</c>, built by <c>deploy/runner/build.sh</c>.</summary>
    [Required]
    public string RunnerImage { get; set; } = "";

    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";
}
