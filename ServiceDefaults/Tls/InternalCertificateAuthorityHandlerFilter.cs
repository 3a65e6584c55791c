using Microsoft.Extensions.Http;

namespace WebIde.ServiceDefaults.Tls;

/// <summary>
/// Every client of the HTTP client factory — the named HTTP clients and the gRPC clients of other services — checks
/// servers against the internal CA. A filter rather than a primary-handler default: it runs after every client's own
/// configuration, and gRPC clients make their primary handler last of all (a <c>SocketsHttpHandler</c> of their own).
/// </summary>
internal sealed class InternalCertificateAuthorityHandlerFilter(InternalCertificateAuthority authority) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        switch (builder.PrimaryHandler)
        {
            case SocketsHttpHandler sockets:
                authority.Trust(sockets);
                break;
            case HttpClientHandler client:
                client.ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => authority.Validate(request, certificate, chain, errors);
                break;
            default:
                throw new InvalidOperationException(
                    $"{InternalCertificateAuthority.Setting} is set, but the HTTP client '{builder.Name}' has a primary handler ({builder.PrimaryHandler?.GetType().Name ?? "none"}) that cannot be told to trust it.");
        }
    };
}
