namespace WebIde.Identity.Tokens;

/// <summary>
/// The services allowed to ask for a service token, each with its secret (client credentials
/// that the AppHost generates and hands to identity and to that service only).
/// </summary>
public sealed class ServiceClientOptions
{
    public const string Section = "ServiceClients";

    public Dictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal);
}
