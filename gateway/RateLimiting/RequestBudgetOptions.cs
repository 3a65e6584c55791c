namespace WebIde.Gateway.RateLimiting;

public sealed class RequestBudgetOptions
{
    public const string Section = "RequestBudget";

    /// <summary>Requests a signed-in user may make to the API in a minute, from all their tabs and tools together.</summary>
    public int PerUserPerMinute { get; set; } = 1200;

    /// <summary>Requests a client address may make without a valid token (sign-in screens, scripts).</summary>
    public int PerAnonymousAddressPerMinute { get; set; } = 300;
}
