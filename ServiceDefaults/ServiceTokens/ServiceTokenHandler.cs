using System.Net.Http.Headers;

namespace WebIde.ServiceDefaults.ServiceTokens;

/// <summary>Calls that carry no token of a user carry the service's own.</summary>
public sealed class ServiceTokenHandler(ServiceTokenClient tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
