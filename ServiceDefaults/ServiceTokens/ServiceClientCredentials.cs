namespace WebIde.ServiceDefaults.ServiceTokens;

/// <summary>This service's client credentials at identity (the AppHost generates them).</summary>
public sealed class ServiceClientCredentials
{
    public const string Section = "ServiceClient";

    public string Id { get; set; } = "";

    public string Secret { get; set; } = "";
}
