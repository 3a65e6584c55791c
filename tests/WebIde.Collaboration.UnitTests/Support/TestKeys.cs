using WebIde.ServiceDefaults.Encryption;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>The content keys every instance of a test shares, as the platform's instances share the installation's ring.</summary>
public static class TestKeys
{
    public static readonly ContentCipher Cipher = ContentCipher.Throwaway();
}
