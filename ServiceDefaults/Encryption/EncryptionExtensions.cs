using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WebIde.ServiceDefaults.Encryption;

public static class EncryptionExtensions
{
    /// <summary>The configuration key of the key ring file's path; the AppHost sets it (<c>WebIde__Encryption__KeyRingFile</c>).</summary>
    public const string KeyRingFileSetting = "WebIde:Encryption:KeyRingFile";

    /// <summary>
    /// Registers the <see cref="ContentCipher"/> that seals what the service keeps at rest, on the
    /// key ring named by <see cref="KeyRingFileSetting"/>. The ring is read here, so a service
    /// whose ring is missing or open to other users does not start, and says how to fix it.
    /// A cipher registered before is kept (a test's throwaway, <see cref="ContentCipher.Throwaway"/>);
    /// calling it again changes nothing.
    /// </summary>
    public static IHostApplicationBuilder AddContentEncryption(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(ContentCipher)))
        {
            return builder;
        }
        var file = builder.Configuration[KeyRingFileSetting];
        if (string.IsNullOrEmpty(file))
        {
            throw new InvalidOperationException(
                $"{KeyRingFileSetting} is not set: it names the content key ring, which the AppHost makes and passes to the services that keep content.");
        }
        builder.Services.AddSingleton(new ContentCipher(KeyRing.FromFile(file)));
        return builder;
    }
}
