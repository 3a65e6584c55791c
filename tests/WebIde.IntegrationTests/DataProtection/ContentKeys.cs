using WebIde.ServiceDefaults.Encryption;

namespace WebIde.IntegrationTests.DataProtection;

/// <summary>The booted platform's content key ring, as the AppHost made it under the data folder.</summary>
public static class ContentKeys
{
    public static string RingFile => Path.Combine(Platform.DataDir, "keys", "content-keys.json");

    /// <summary>A cipher on the platform's ring: what the services seal, a test can open.</summary>
    public static ContentCipher Cipher() => new(KeyRing.FromFile(RingFile));
}
