namespace WebIde.AppHost.Services;

public static class HostEnvironmentExtensions
{
    /// <summary>
    /// The project runs in the AppHost's own environment (<c>Development</c>, or <c>Production</c> under
    /// <c>./webide up --production</c>), not in the one its launch profile names: each project's
    /// Properties/launchSettings.json says <c>Development</c> for a developer's <c>dotnet run</c> of it alone, and
    /// would otherwise win. Development adds ASP.NET Core's developer exception page, which shows exception
    /// details and source to whoever meets one.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAppHostEnvironment(this IResourceBuilder<ProjectResource> project)
    {
        var environment = project.ApplicationBuilder.Environment.EnvironmentName;
        return project
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", environment)
            .WithEnvironment("DOTNET_ENVIRONMENT", environment);
    }
}
