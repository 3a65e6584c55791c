namespace WebIde.ServiceDefaults.Encryption;

/// <summary>
/// The content keys a process holds: the newest seals, every one opens. A ring read from a file
/// reads it again when asked for a key it does not have and the file has changed since: a key added by
/// <c>./webide keys rotate</c> while the platform runs is found as soon as something sealed with it
/// turns up, e.g. written by an instance started after the rotation.
/// </summary>
public sealed class KeyRing
{
    private readonly string? _file;
    private readonly Lock _reread = new();
    private volatile Snapshot _snapshot;
    private DateTime _readVersion;

    private KeyRing(string? file, DateTime readVersion, IReadOnlyList<ContentKey> keys)
    {
        _file = file;
        _readVersion = readVersion;
        _snapshot = Snapshot.Of(keys, previous: null);
    }

    /// <summary>The key ring in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">The file is missing, open to other users or not a key ring (<see cref="KeyRingFile.Read"/>).</exception>
    public static KeyRing FromFile(string path)
    {
        var file = Path.GetFullPath(path);
        // The time before the content: a rotation in between is then read again when needed.
        var version = System.IO.File.GetLastWriteTimeUtc(file);
        return new KeyRing(file, version, KeyRingFile.Read(file));
    }

    /// <summary>A ring of the given keys, oldest first, that only this process has.</summary>
    public static KeyRing Of(params ContentKey[] keys) =>
        keys.Length > 0 ? new KeyRing(null, default, keys) : throw new ArgumentException("A key ring needs a key.", nameof(keys));

    /// <summary>A ring with one new random key, gone with the process: for tests, and for values that need not outlive it.</summary>
    public static KeyRing Throwaway() => Of(ContentKey.New(DateTimeOffset.UtcNow));

    /// <summary>Where the ring was read from; null for a ring only in memory.</summary>
    public string? File => _file;

    /// <summary>The id of the key that seals.</summary>
    public uint ActiveKeyId => _snapshot.Active.Id;

    internal KeyCipher Active => _snapshot.Active;

    /// <summary>The key with <paramref name="id"/>, reading the file again if it is not known yet and the file has changed.</summary>
    internal KeyCipher? Find(uint id)
    {
        if (_snapshot.Keys.TryGetValue(id, out var key))
        {
            return key;
        }
        if (_file is null)
        {
            return null;
        }
        lock (_reread)
        {
            // Replaced whole by a rotation (a rename), so a new write time means new keys.
            var version = System.IO.File.GetLastWriteTimeUtc(_file);
            if (!_snapshot.Keys.ContainsKey(id) && version != _readVersion)
            {
                _snapshot = Snapshot.Of(KeyRingFile.Read(_file), _snapshot);
                _readVersion = version;
            }
            return _snapshot.Keys.GetValueOrDefault(id);
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<uint, KeyCipher> Keys, KeyCipher Active)
    {
        /// <summary>The keys' ciphers, reusing those of <paramref name="previous"/> (and their pooled instances).</summary>
        public static Snapshot Of(IReadOnlyList<ContentKey> keys, Snapshot? previous)
        {
            var ciphers = keys.ToDictionary(key => key.Id, key => previous?.Keys.GetValueOrDefault(key.Id) ?? new KeyCipher(key));
            return new Snapshot(ciphers, ciphers[keys[^1].Id]);
        }
    }
}
