using Microsoft.AspNetCore.Http.Features;

namespace WebIde.Collaboration.Sockets;

/// <summary>
/// Stands in for the server's upgrade features so that the WebSocket ASP.NET Core accepts (with
/// its own handshake, origin check and keep-alive) runs over a <see cref="WriteCoalescingStream"/>,
/// which the endpoint then steers. The WebSocket middleware takes these features when a request
/// arrives, so <see cref="Install"/> must run before it.
/// </summary>
public sealed class CoalescingUpgradeFeature(IHttpUpgradeFeature? upgrade, IHttpExtendedConnectFeature? connect)
    : IHttpUpgradeFeature, IHttpExtendedConnectFeature
{
    /// <summary>The upgraded connection, once the WebSocket has been accepted.</summary>
    public WriteCoalescingStream? Stream { get; private set; }

    public bool IsUpgradableRequest => upgrade?.IsUpgradableRequest ?? false;

    public bool IsExtendedConnect => connect?.IsExtendedConnect ?? false;

    public string? Protocol => connect?.Protocol;

    /// <summary>An HTTP/1.1 upgrade.</summary>
    public async Task<Stream> UpgradeAsync() =>
        Stream = new WriteCoalescingStream(await (upgrade ?? throw new InvalidOperationException("not an upgradable request")).UpgradeAsync());

    /// <summary>An HTTP/2 WebSocket (extended CONNECT).</summary>
    public async ValueTask<Stream> AcceptAsync() =>
        Stream = new WriteCoalescingStream(await (connect ?? throw new InvalidOperationException("not an extended CONNECT")).AcceptAsync());

    public static void Install(HttpContext context)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        if (upgrade is not { IsUpgradableRequest: true } && connect is not { IsExtendedConnect: true })
        {
            return;
        }
        var feature = new CoalescingUpgradeFeature(upgrade, connect);
        context.Features.Set(feature);
        if (upgrade is not null)
        {
            context.Features.Set<IHttpUpgradeFeature>(feature);
        }
        if (connect is not null)
        {
            context.Features.Set<IHttpExtendedConnectFeature>(feature);
        }
    }
}
