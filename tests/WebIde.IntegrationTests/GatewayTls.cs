using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace WebIde.IntegrationTests;

/// <summary>
/// How every test client reaches the gateway when the run boots it with TLS (<c>WEBIDE_TEST_TLS=1</c>,
/// <c>./webide test --tls</c>): over https and wss, trusting the CA the platform made under its data folder and no
/// other. Without TLS the same clients speak plain http and ws, and nothing here changes what they do.
/// </summary>
public static class GatewayTls
{
    /// <summary>Whether this run boots the platform with TLS.</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("WEBIDE_TEST_TLS") == "1";

    /// <summary>The platform's own CA: the file <c>./webide up --tls</c> tells users to trust.</summary>
    public static string AuthorityFile => Path.Combine(Platform.DataDir, "tls", "ca.crt");

    /// <summary>The certificate the gateway serves.</summary>
    public static string CertificateFile => Path.Combine(Platform.DataDir, "tls", "server.crt");

    private static readonly Lazy<X509Certificate2> Authority = new(() => X509CertificateLoader.LoadCertificateFromFile(AuthorityFile));

    /// <summary>
    /// A server certificate is good when it names the host asked for and chains to the platform's CA alone, as a
    /// client that was told to trust that CA sees it.
    /// </summary>
    public static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!Enabled)
        {
            return errors == SslPolicyErrors.None;
        }
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var ours = new X509Chain();
        ours.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        ours.ChainPolicy.CustomTrustStore.Add(Authority.Value);
        ours.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return ours.Build(presented);
    }

    /// <summary>The handler trusts the platform's CA when the run is under TLS.</summary>
    public static SocketsHttpHandler Trusting(this SocketsHttpHandler handler)
    {
        handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        return handler;
    }

    /// <summary>The socket trusts the platform's CA when the run is under TLS.</summary>
    public static ClientWebSocket Trusting(this ClientWebSocket socket)
    {
        socket.Options.RemoteCertificateValidationCallback = Validate;
        return socket;
    }

    /// <summary>A channel to the gateway's gRPC port: HTTP/2 with prior knowledge, or over TLS with h2 by ALPN.</summary>
    public static GrpcChannel GrpcChannel(GrpcChannelOptions? options = null)
    {
        options ??= new GrpcChannelOptions();
        if (Enabled)
        {
            // As the channel's own handler would be, and trusting the CA.
            options.HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true }.Trusting();
            options.DisposeHttpClient = true;
        }
        return Grpc.Net.Client.GrpcChannel.ForAddress(Platform.GrpcAddress, options);
    }

    /// <summary>
    /// What a Node harness needs to trust the CA: Node's own clients (fetch, ws) through NODE_EXTRA_CA_CERTS, and
    /// Chromium, which takes no CA file on its command line, through the server certificate's key hash
    /// (<c>--ignore-certificate-errors-spki-list</c>: errors are ignored for that key alone).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> NodeEnvironment()
    {
        if (!Enabled)
        {
            yield break;
        }
        yield return new("NODE_EXTRA_CA_CERTS", AuthorityFile);
        using var served = X509CertificateLoader.LoadCertificateFromFile(CertificateFile);
        yield return new("WEBIDE_TLS_SPKI_SHA256", Convert.ToBase64String(SHA256.HashData(served.PublicKey.ExportSubjectPublicKeyInfo())));
    }
}
