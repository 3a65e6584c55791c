using System.Globalization;
using WebIde.AppHost.Platform;

namespace WebIde.AppHost.Services;

public static class ServiceUserExtensions
{
    /// <summary>Where setpriv is looked for when it is not on the PATH: util-linux puts it there on Debian.</summary>
    private const string SetprivFallback = "/usr/bin/setpriv";

    /// <summary>
    /// Runs the project as the services' user when there is one (<c>WebIde:ServiceUser</c>, <c>./webide up
    /// --production</c>): its built binary is started through <c>setpriv</c>, which takes on that user's id and
    /// primary group, drops every other group (root's among them) and sets no_new_privs, so that no set-user-id
    /// program it runs gives it back more, and then becomes the binary, keeping its process id and environment.
    /// Applied to each service and the gateway, one by one: a process the platform runs as root on purpose (one
    /// that holds the Docker socket for the others) is simply not given it. Called after
    /// <see cref="BuiltBinaryExtensions.RunBuiltBinary"/>, whose binary it wraps.
    /// </summary>
    public static IResourceBuilder<ProjectResource> RunAsServiceUser(this IResourceBuilder<ProjectResource> project, PlatformSettings settings)
    {
        if (settings.ServiceAccount is not { } account)
        {
            return project;
        }
        if (!project.Resource.TryGetLastAnnotation<ExecutableAnnotation>(out var binary))
        {
            // Through `dotnet run` the build and the SDK would run as that user too, in a checkout it cannot write.
            throw new InvalidOperationException(
                $"{project.Resource.Name}: WebIde:ServiceUser needs the project's built binary ({BuiltBinaryExtensions.BuiltBinaryPath(project.Resource.GetProjectMetadata().ProjectPath, BuiltBinaryExtensions.BuildConfiguration)}): " +
                "build the AppHost first (./webide up does).");
        }

        string[] wrapper =
        [
            "--reuid=" + account.Uid.ToString(CultureInfo.InvariantCulture),
            "--regid=" + account.Gid.ToString(CultureInfo.InvariantCulture),
            "--clear-groups",
            "--no-new-privs",
            "--",
            binary.Command,
        ];
        project.WithAnnotation(new ExecutableAnnotation { Command = Setpriv(), WorkingDirectory = binary.WorkingDirectory }, ResourceAnnotationMutationBehavior.Replace);
        // The orchestrator puts nothing of its own before the arguments of a project that has its own command
        // (only a launch profile's commandLineArgs, which no project here has); inserted at the front, the wrapper
        // stays first whichever argument callbacks run before or after this one.
        return project.WithArgs(context =>
        {
            for (var i = 0; i < wrapper.Length; i++)
            {
                context.Args.Insert(i, wrapper[i]);
            }
        });
    }

    private static string Setpriv()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "setpriv"))
            .FirstOrDefault(File.Exists);
        return onPath ?? (File.Exists(SetprivFallback)
            ? SetprivFallback
            : throw new InvalidOperationException("WebIde:ServiceUser needs setpriv to start the services as that user: install util-linux."));
    }
}
