using System.Net;
using System.Runtime.Versioning;
using System.Text;
using WebIde.IntegrationTests.Collaboration.Protocol;

namespace WebIde.IntegrationTests.DataProtection;

/// <summary>
/// File contents and collaborative state are encrypted at rest (docs/api.md §7): what a user
/// writes through the API or types in the editor lies in no file under the data folder, however
/// it got there (the services' databases, Redis's append-only file, logs), and the key ring is
/// the platform user's alone.
/// </summary>
// File modes are what is tested; the platform runs on Linux.
[UnsupportedOSPlatform("windows")]
public sealed class EncryptionAtRestTests
{
    private const string Path = "src/secret.py";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Test]
    public async Task NeitherWhatIsWrittenNorWhatIsTypedLiesInAnyFileUnderTheDataFolder()
    {
        var written = $"written-marker-{Guid.NewGuid():N}";
        var typed = $"typed-marker-{Guid.NewGuid():N}";
        var initial = $"# {written}\n";

        // Through the REST API: into filesystem's store and its Redis cache.
        using var workspace = await CollabWorkspace.CreateAsync(Path, initial);
        // Typed by an editor: into collaboration's operation log and text in Redis, then the file.
        var (editor, joined) = await workspace.JoinAsync(Path);
        var appendOnlyBefore = AppendOnlyFileBytes();
        await using (editor)
        {
            await editor.SendAsync(new { type = "op", path = Path, revision = joined.GetProperty("revision").GetInt64(), id = "typed-1", op = new object[] { initial.Length, typed } });
            await CollabWorkspace.NextAsync(editor, "ack");
        }
        await WaitForAsync(async () => Encoding.UTF8.GetString(await workspace.Files.ReadBytesAsync(Path)) == initial + typed,
            "the typed edit reaches the file (collaboration's snapshot)");
        await WaitForAsync(() => Task.FromResult(AppendOnlyFileBytes() > appendOnlyBefore),
            "Redis appends the edit to its append-only file (it writes it before it answers; this is to be sure)");

        var leaks = FilesUnder(Platform.DataDir)
            .SelectMany(file => Holds(file, written, typed).Select(marker => $"{file} holds the {marker} marker"))
            .ToList();

        Assert.That(leaks, Is.Empty, "content lies in the clear under the data folder:\n" + string.Join("\n", leaks));
    }

    [Test]
    public void TheKeyRingIsThePlatformUsersAlone()
    {
        var ring = ContentKeys.RingFile;

        Assert.That(File.Exists(ring), Is.True, $"the AppHost makes the key ring at {ring}");
        Assert.That(File.GetUnixFileMode(ring), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), ring);
        Assert.That(File.GetUnixFileMode(System.IO.Path.GetDirectoryName(ring)!), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    /// <summary>Every regular file with something in it (FIFOs and sockets show as empty), found afresh.</summary>
    private static IEnumerable<string> FilesUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 })
            .Where(file => new FileInfo(file) is { Exists: true, Length: > 0, LinkTarget: null });

    /// <summary>The markers the file holds as UTF-8; a file gone meanwhile holds none.</summary>
    private static IEnumerable<string> Holds(string file, params string[] markers)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        return markers.Where(marker => bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker)) >= 0).Select(marker => marker.Split('-')[0]).ToList();
    }

    /// <summary>The size of Redis's append-only files (local mode keeps them under the data folder's <c>redis</c>).</summary>
    private static long AppendOnlyFileBytes()
    {
        var folder = System.IO.Path.Combine(Platform.DataDir, "redis");
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.aof", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length)
            : 0;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"within {Deadline.TotalSeconds:F0} s: {what}");
            }
            await Task.Delay(100);
        }
    }
}
