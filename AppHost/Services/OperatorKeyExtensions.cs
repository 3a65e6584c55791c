using WebIde.AppHost.Platform;

namespace WebIde.AppHost.Services;

public static class OperatorKeyExtensions
{
    /// <summary>The installation secret that opens the gateway's <c>/health/details</c>.</summary>
    public const string SecretName = "operator-key";

    /// <summary>
    /// The installation's operator key: the gateway answers <c>/health/details</c> (every service and
    /// what is wrong with it) only to a request that carries it as <c>X-WebIde-Operator-Key</c>.
    /// Printed as its file, not its value, so that it stays out of logs.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOperatorKey(this IResourceBuilder<ProjectResource> gateway, PlatformSettings settings)
    {
        var secrets = settings.Secrets();
        var key = gateway.ApplicationBuilder.AddInstallationSecret(secrets, SecretName);
        Console.WriteLine($"WebIde: operator key in {Path.Combine(secrets.Folder, SecretName)} (GET /health/details with header X-WebIde-Operator-Key: <the key>)");
        return gateway.WithEnvironment("Health__OperatorKey", key);
    }
}
