namespace WebIde.Gateway.Proxies;

/// <summary>
/// The proxies in front of the gateway whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> it believes
/// (docs/api.md §0, "Behind a proxy"). None by default: a client cannot name its own address, so it can neither
/// dodge a per-address limit nor aim one (the failed-login lockout) at someone else.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses (<c>10.0.0.5</c>, <c>::1</c>) or networks in CIDR form (<c>10.0.0.0/8</c>).</summary>
    public List<string> TrustedProxies { get; set; } = [];
}
