using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using WebIde.ServiceDefaults.Tls;

namespace Microsoft.Extensions.Hosting;

public static class InternalTlsExtensions
{
    /// <summary>
    /// The internal CA of <c>WebIde:Tls:CaFile</c> (a path, relative to the content root), read once per process; null
    /// when the deployment sets none: then the local platform's plain-text hops stay as they are, and a hop a
    /// connection string puts on TLS is checked against the machine's trust store.
    /// </summary>
    public static InternalCertificateAuthority? GetInternalCertificateAuthority(this IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(typeof(ReadAuthority), out var read))
        {
            return ((ReadAuthority)read).Authority;
        }
        var file = builder.Configuration[InternalCertificateAuthority.Setting];
        var authority = string.IsNullOrWhiteSpace(file)
            ? null
            : InternalCertificateAuthority.Load(Path.GetFullPath(file, builder.Environment.ContentRootPath));
        builder.Properties[typeof(ReadAuthority)] = new ReadAuthority(authority);
        return authority;
    }

    /// <summary>With an internal CA, every client of the HTTP client factory (HTTP and gRPC) trusts it, and only it.</summary>
    public static IHostApplicationBuilder AddInternalTls(this IHostApplicationBuilder builder)
    {
        if (builder.GetInternalCertificateAuthority() is { } authority)
        {
            builder.Services.AddSingleton(authority);
            builder.Services.AddSingleton<IHttpMessageHandlerBuilderFilter, InternalCertificateAuthorityHandlerFilter>();
        }
        return builder;
    }

    /// <summary>What the configuration said, null included, so the file is read once.</summary>
    private sealed record ReadAuthority(InternalCertificateAuthority? Authority);
}
