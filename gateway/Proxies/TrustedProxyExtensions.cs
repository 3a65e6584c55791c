using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace WebIde.Gateway.Proxies;

public static class TrustedProxyExtensions
{
    /// <summary>
    /// Forwarded headers are believed hop by hop from the right, only while the hop that added them is a trusted
    /// proxy: the client is the right-most address that is not one. Whatever else a request carries in them is
    /// ignored, and YARP replaces <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> with what the gateway concluded
    /// before passing the request on, so the services (identity's login throttle) count the real client.
    /// </summary>
    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection(TrustedProxyOptions.Section).Get<TrustedProxyOptions>() ?? new TrustedProxyOptions();
        var networks = configured.TrustedProxies.Select(Parse).ToList();

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // As many trusted hops as there are; the first untrusted one ends the walk whatever the limit.
            options.ForwardLimit = null;
            // ASP.NET Core trusts loopback by default; the gateway trusts only what the operator names.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>
    /// Reads forwarded headers only when some proxy is trusted: ASP.NET Core's middleware given empty lists believes
    /// every peer, which is the opposite of trusting none.
    /// </summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }

    /// <summary>An address or a CIDR network; anything else stops the gateway at start, naming the entry.</summary>
    internal static System.Net.IPNetwork Parse(string entry)
    {
        var text = entry.Trim();
        if (System.Net.IPNetwork.TryParse(text, out var network))
        {
            return network;
        }
        if (IPAddress.TryParse(text, out var address))
        {
            return new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8);
        }
        throw new InvalidOperationException(
            $"{TrustedProxyOptions.Section}:{nameof(TrustedProxyOptions.TrustedProxies)}: '{entry}' is neither an IP address nor a CIDR network (10.0.0.0/8).");
    }
}
