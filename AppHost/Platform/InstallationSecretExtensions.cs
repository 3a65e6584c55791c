namespace WebIde.AppHost.Platform;

public static class InstallationSecretExtensions
{
    /// <summary>
    /// One of the installation's secrets (<see cref="InstallationSecrets"/>) as a secret
    /// parameter: masked in the dashboard, and named rather than spelled out where a resource's
    /// environment or connection string uses it.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddInstallationSecret(this IDistributedApplicationBuilder builder, InstallationSecrets secrets, string name) =>
        builder.Resources.OfType<ParameterResource>().FirstOrDefault(parameter => parameter.Name == name) is { } existing
            ? builder.CreateResourceBuilder(existing)
            : builder.AddParameter(name, secrets.Get(name), secret: true);
}
