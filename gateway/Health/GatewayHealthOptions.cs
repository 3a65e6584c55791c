namespace WebIde.Gateway.Health;

/// <summary>The gateway's <c>/health</c> (docs/api.md §0, "Health").</summary>
public sealed class GatewayHealthOptions
{
    public const string Section = "Health";

    /// <summary>The shortest key an operator may set: a guessable one would hand out the platform's layout.</summary>
    public const int MinOperatorKeyLength = 16;

    /// <summary>
    /// What an operator sends as <c>X-WebIde-Operator-Key</c> to read <c>/health/details</c>. The AppHost makes one
    /// per installation; empty: nobody may.
    /// </summary>
    public string OperatorKey { get; set; } = "";

    /// <summary>How long one round of checks answers every request: however often <c>/health</c> is asked, the services are asked at most once in it.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(2);
}
