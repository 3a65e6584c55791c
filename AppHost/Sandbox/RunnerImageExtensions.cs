using System.Diagnostics;
using WebIde.AppHost.Platform;

namespace WebIde.AppHost.Sandbox;

public static class RunnerImageExtensions
{
    public static IResourceBuilder<RunnerImageResource> AddRunnerImage(this IDistributedApplicationBuilder builder, string name, PlatformSettings settings)
    {
        var tag = settings.RunnerImage ?? PrintTag(settings.RepositoryRoot);
        return builder.AddResource(new RunnerImageResource(name, settings.RepositoryRoot, tag))
            .WithArgs(RunnerImageResource.BuildScript)
            .WithEnvironment("WEBIDE_RUNNER_TAG", tag);
    }

    /// <summary>The sandbox service runs programs in this image, and only once it is built.</summary>
    public static IResourceBuilder<ProjectResource> WithRunnerImage(this IResourceBuilder<ProjectResource> service, IResourceBuilder<RunnerImageResource> image) =>
        service
            .WithEnvironment("Sandbox__RunnerImage", image.Resource.Tag)
            .WaitForCompletion(image);

    /// <summary>The tag is a hash of the image's definition, so it is known before anything is built.</summary>
    private static string PrintTag(string repositoryRoot)
    {
        var start = new ProcessStartInfo("bash", [RunnerImageResource.BuildScript, "--print-tag"])
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash could not be started");
        var output = process.StandardOutput.ReadToEnd().Trim();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 && output.StartsWith("webide-runner:", StringComparison.Ordinal)
            ? output
            : throw new InvalidOperationException($"{RunnerImageResource.BuildScript} --print-tag failed ({process.ExitCode}): {error}");
    }
}
