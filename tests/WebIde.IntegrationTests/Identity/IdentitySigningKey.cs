using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using WebIde.Identity.Storage;
using WebIde.IntegrationTests.DataProtection;

namespace WebIde.IntegrationTests.Identity;

/// <summary>
/// Identity's own signing key, read from its store in the test's data folder: the only way to
/// make a token that is correctly signed yet expired or meant for someone else, without
/// waiting fifteen minutes. The key is sealed there (docs/api.md §7): it is opened with the
/// platform's key ring. (Whoever can read both files can sign anything; so can the tests.)
/// </summary>
public static class IdentitySigningKey
{
    public static string Sign(string keyId, object payload)
    {
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(PrivateKey(keyId), out _);
        var unsigned = Jwt.Encode(new { alg = "ES256", kid = keyId, typ = "JWT" }, payload, "");
        unsigned = unsigned[..^1];
        return $"{unsigned}.{Jwt.Base64Url(key.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA256))}";
    }

    private static byte[] PrivateKey(string keyId)
    {
        var file = Path.Combine(Platform.DataDir, "identity", "identity.db");
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT private_key_pkcs8 FROM signing_keys WHERE key_id = $id";
        command.Parameters.AddWithValue("$id", keyId);
        var stored = (byte[])(command.ExecuteScalar() ?? throw new InvalidOperationException($"no key {keyId} in {file}"));
        return new StoredPrivateKey(ContentKeys.Cipher()).Open(stored);
    }
}
