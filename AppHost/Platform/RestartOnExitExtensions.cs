using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WebIde.AppHost.Platform;

public static class RestartOnExitExtensions
{
    /// <summary>On unless set to <c>false</c> (<c>--WebIde:RestartOnExit=false</c>, or <c>WebIde__RestartOnExit=false ./webide up</c>).</summary>
    public const string Key = "WebIde:RestartOnExit";

    /// <summary>
    /// Every long-running resource of the model is started again when its process exits while the
    /// platform runs (<see cref="RestartOnExitSupervisor"/>). Called once every resource is added.
    /// Long-running: a project, executable or container that no other resource waits to see
    /// finish; one that is waited for with <c>WaitForCompletion</c> (the runner image build) is
    /// meant to end.
    /// </summary>
    public static void RestartWhatExits(this IDistributedApplicationBuilder builder)
    {
        if (string.Equals(builder.Configuration[Key], "false", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var meantToFinish = builder.Resources
            .SelectMany(resource => resource.Annotations.OfType<WaitAnnotation>())
            .Where(wait => wait.WaitType == WaitType.WaitForCompletion)
            .Select(wait => wait.Resource)
            .ToHashSet();
        foreach (var resource in builder.Resources.Where(resource => resource is ProjectResource or ExecutableResource or ContainerResource))
        {
            if (!meantToFinish.Contains(resource))
            {
                resource.Annotations.Add(new RestartOnExitAnnotation());
            }
        }

        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddHostedService<RestartOnExitSupervisor>();
        }
    }
}
