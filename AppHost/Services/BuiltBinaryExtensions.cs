using System.Reflection;
using System.Runtime.Versioning;

namespace WebIde.AppHost.Services;

public static class BuiltBinaryExtensions
{
    /// <summary>
    /// Starts the project from the binary its build left instead of through <c>dotnet run</c>.
    /// That wrapper would stay resident beside every service (about 100 MiB each) and adds
    /// nothing once the solution is built: the AppHost references every project, so building
    /// it builds them, in its own configuration. Without a built binary (a project that was
    /// never built in this configuration) the orchestrator's default, <c>dotnet run</c>, stays.
    /// See docs/platform.md ("Running lean").
    /// </summary>
    public static IResourceBuilder<ProjectResource> RunBuiltBinary(this IResourceBuilder<ProjectResource> project)
    {
        var projectPath = project.Resource.GetProjectMetadata().ProjectPath;
        var binary = BuiltBinaryPath(projectPath, BuildConfiguration);
        if (File.Exists(binary))
        {
            project.WithAnnotation(new ExecutableAnnotation
            {
                Command = binary,
                WorkingDirectory = Path.GetDirectoryName(projectPath)!,
            }, ResourceAnnotationMutationBehavior.Replace);
        }
        return project;
    }

    /// <summary>Where the SDK puts a project's native launcher: <c>bin/{configuration}/{framework}/{assembly}</c>.</summary>
    public static string BuiltBinaryPath(string projectPath, string configuration) =>
        Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", configuration, TargetFramework, Path.GetFileNameWithoutExtension(projectPath));

    /// <summary>The configuration this AppHost was built in, which is that of the projects it references.</summary>
    public static string BuildConfiguration =>
        typeof(BuiltBinaryExtensions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>
    /// The framework folder, <c>net10.0</c>: every project targets the AppHost's own framework
    /// (Directory.Build.props), so it is read from the AppHost rather than written here again.
    /// </summary>
    private static string TargetFramework
    {
        get
        {
            var name = typeof(BuiltBinaryExtensions).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
            return "net" + new System.Runtime.Versioning.FrameworkName(name).Version.ToString(2);
        }
    }
}
