using System.Text.Json;
using WebIde.ServiceDefaults.Files;

namespace WebIde.ServiceDefaults.Encryption;

/// <summary>
/// The key ring on disk: a JSON file only the platform's user may read (mode 0600),
/// <c>{"keys": [{"id": 2718281828, "createdAt": "…", "key": "&lt;base64 of 32 bytes&gt;"}, …]}</c>,
/// oldest first. The last key seals; every key opens. Rotation appends a key and never removes
/// one, so what was sealed before stays readable.
/// </summary>
/// <remarks>
/// The AppHost makes and rotates it (this file is linked into it); the services only read it.
/// It is written as every owner-only file is (<see cref="OwnerOnlyFiles"/>): a new file that replaces the old one
/// in one rename, so a reader never sees half, and that keeps the old one's owner, the services' user in
/// production (docs/platform.md).
/// </remarks>
public static class KeyRingFile
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The keys, oldest first.</summary>
    /// <exception cref="InvalidOperationException">The file is missing, open to other users, or not a key ring; the message says how to fix it.</exception>
    public static IReadOnlyList<ContentKey> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The content key ring {path} does not exist. The AppHost makes one per installation under its data folder " +
                "(keys/content-keys.json) when it starts; if this installation had one, restore it from a backup: what was sealed with it cannot be read without it.");
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0)
        {
            throw new InvalidOperationException(
                $"The content key ring {path} is open to other users (mode {Octal(File.GetUnixFileMode(path))}); only the platform's user may read it. Fix it with: chmod 600 {path}");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var keys = document.RootElement.GetProperty("keys").EnumerateArray().Select(ReadKey).ToList();
            if (keys.Count == 0)
            {
                throw new InvalidOperationException("it holds no key");
            }
            if (keys.Select(key => key.Id).Distinct().Count() != keys.Count)
            {
                throw new InvalidOperationException("two keys have the same id");
            }
            return keys;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException($"The content key ring {path} is not a valid key ring: {exception.Message}", exception);
        }
    }

    /// <summary>Makes a key ring with one new key unless there is one; true when it made it.</summary>
    public static bool CreateIfMissing(string path, DateTimeOffset now)
    {
        EnsureFolder(path);
        if (File.Exists(path))
        {
            return false;
        }
        try
        {
            Write(path, [ContentKey.New(now)], replace: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made it first: theirs is the ring.
            return false;
        }
    }

    /// <summary>Adds a new key that seals from now on; the older ones stay to open what they sealed.</summary>
    public static ContentKey Rotate(string path, DateTimeOffset now)
    {
        var keys = Read(path);
        var added = ContentKey.New(now, keys);
        Write(path, [.. keys, added], replace: true);
        return added;
    }

    private static ContentKey ReadKey(JsonElement element)
    {
        var id = element.GetProperty("id").GetUInt32();
        var material = Convert.FromBase64String(element.GetProperty("key").GetString() ?? "");
        if (id == 0 || material.Length != ContentKey.Bytes)
        {
            throw new InvalidOperationException($"key {id} must have a non-zero id and {ContentKey.Bytes} bytes of key");
        }
        return new ContentKey(id, material, element.GetProperty("createdAt").GetDateTimeOffset());
    }

    /// <summary>Writes a new file, owner-only from its creation: the keys are never in a file others could open.</summary>
    private static void Write(string path, IReadOnlyList<ContentKey> keys, bool replace) =>
        OwnerOnlyFiles.WriteSecret(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteStartArray("keys");
            foreach (var key in keys)
            {
                json.WriteStartObject();
                json.WriteNumber("id", key.Id);
                json.WriteString("createdAt", key.CreatedAt);
                json.WriteBase64String("key", key.Material);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }, replace);

    /// <summary>A folder made here is owner-only (0700); one that exists is left as it is (it may be anyone's, as /tmp is).</summary>
    private static void EnsureFolder(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            OwnerOnlyFiles.CreateFolder(folder);
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);
}
