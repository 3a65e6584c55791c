using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebIde.ServiceDefaults.Tls;

/// <summary>
/// The CA a deployment signs its internal certificates with (<c>WebIde:Tls:CaFile</c>, docs/platform.md "TLS inside
/// a deployment"): the one trust every internal hop that goes over TLS checks the server against — Redis, RabbitMQ,
/// the other services over HTTP and gRPC, the gateway's proxy. A server certificate is accepted when its chain ends
/// at one of these CAs (and at nothing else: not the machine's public roots, since a certificate any public CA
/// signs for the name is no proof it is the deployment's own server) and it names the host dialled.
/// </summary>
public sealed class InternalCertificateAuthority
{
    public const string Setting = "WebIde:Tls:CaFile";

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private readonly X509Certificate2Collection _authorities;

    private InternalCertificateAuthority(string file, X509Certificate2Collection authorities)
    {
        File = file;
        _authorities = authorities;
    }

    /// <summary>The PEM file the CA certificates were read from.</summary>
    public string File { get; }

    /// <summary>The CAs in <paramref name="file"/> (PEM, one certificate or more); a file without one stops the start, named.</summary>
    public static InternalCertificateAuthority Load(string file)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(file);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{Setting}: {file} is not a readable PEM file of CA certificates: {exception.Message}", exception);
        }
        if (authorities.Count == 0)
        {
            throw new InvalidOperationException($"{Setting}: {file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }
        return new InternalCertificateAuthority(file, authorities);
    }

    /// <summary>
    /// A <see cref="RemoteCertificateValidationCallback"/>: true when the server sent a certificate for the name dialled
    /// whose chain, built with these CAs as the only roots, is valid now for server authentication. Revocation is not
    /// checked: an internal CA publishes no revocation list; its certificates are short-lived and replaced instead.
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // The chain is judged here; a missing certificate or one for another name never passes.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        own.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        // Intermediates the server sent along may complete the chain; they are no roots.
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
            {
                own.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 presented)
        {
            return own.Build(presented);
        }
        using var converted = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return own.Build(converted);
    }

    /// <summary>A handler of the .NET HTTP stack (HTTP/1.1, HTTP/2, gRPC) checks servers against these CAs.</summary>
    public void Trust(SocketsHttpHandler handler) => handler.SslOptions.RemoteCertificateValidationCallback = Validate;
}
