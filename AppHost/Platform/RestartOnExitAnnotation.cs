namespace WebIde.AppHost.Platform;

/// <summary>
/// Marks a long-running resource that the AppHost starts again when its process exits while the
/// platform runs (<see cref="RestartOnExitSupervisor"/>), as a Kubernetes <c>restartPolicy: Always</c> would.
/// One-shot resources, such as the runner image build, never carry it.
/// </summary>
public sealed class RestartOnExitAnnotation : IResourceAnnotation;
