using System.Text;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.UnitTests.Storage;

/// <summary>
/// What every adapter of filesystem's storage port must do, run against each reachable
/// adapter. Each test works in workspaces of its own, so tests share one store; the outbox
/// and trim tests first drain what earlier tests left, because those two calls span every
/// workspace.
/// </summary>
[TestFixtureSource(typeof(FileStoreHarness), nameof(FileStoreHarness.Reachable))]
public sealed class FileStoreContract(FileStoreHarness harness)
{
    private const int CompareAndSwapRounds = 20;

    private static readonly Guid Alice = Guid.Parse("0b5c2e9a-4f3d-4e21-9a8b-7c6d5e4f3a21");
    private static readonly Guid Bob = Guid.Parse("f1e2d3c4-b5a6-4789-8a0b-1c2d3e4f5a6b");

    private static readonly CancellationToken None = CancellationToken.None;

    private IFileStore Store => harness.Store;

    private DateTimeOffset Now => harness.Clock.Now;

    [OneTimeSetUp]
    public Task StartAsync() => harness.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await harness.DisposeAsync();

    [SetUp]
    public void MoveTheClock() =>
        // Each test's changes are later than every earlier test's: trims and the outbox order by time.
        harness.Clock.Advance(TimeSpan.FromHours(1));

    [Test]
    public void ThePortResolvesToThisAdapter()
    {
        Assert.That(Store.GetType().Name, Does.StartWith(harness.AdapterPrefix));
    }

    // ---- writing files

    [Test]
    public async Task AFileIsCreatedAtVersionOneAndEachWriteAddsOne()
    {
        var workspace = Guid.NewGuid();

        var created = await WriteAsync(workspace, "hello.txt", "hello");
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await WriteAsync(workspace, "hello.txt", "hello, world", user: Bob);
        var third = await WriteAsync(workspace, "hello.txt", "bye");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(created.Status, Is.EqualTo(MutationStatus.Done));
            Assert.That(created.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, 1, ChangeType.Created, EntryType.File, "hello.txt", null, 1, 5, Alice, Now.AddSeconds(-1)),
            }));
            Assert.That(second.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, 2, ChangeType.Changed, EntryType.File, "hello.txt", null, 2, 12, Bob, Now),
            }));
            Assert.That(third.Change, Is.EqualTo(new FileChange(workspace, 3, ChangeType.Changed, EntryType.File, "hello.txt", null, 3, 3, Alice, Now)));

            var stored = await Store.ReadFileAsync(workspace, "hello.txt", None);
            Assert.That(stored, Is.Not.Null);
            Assert.That(stored!.Path, Is.EqualTo("hello.txt"));
            Assert.That(stored.Content, Is.EqualTo(Text("bye")));
            Assert.That(stored.Version, Is.EqualTo(3));
            Assert.That(stored.ModifiedAt, Is.EqualTo(Now));
            Assert.That(stored.Sequence, Is.EqualTo(3));
            Assert.That(await Store.ListTreeAsync(workspace, None), Is.EqualTo(new[]
            {
                new TreeEntry("hello.txt", EntryType.File, 3, 3, Now),
            }));
        });
    }

    [Test]
    public async Task ReplacingAFileMakesItsEarlierContentStale()
    {
        var workspace = Guid.NewGuid();

        var created = await WriteAsync(workspace, "a.txt", "one");
        var replaced = await WriteAsync(workspace, "a.txt", "two");

        Assert.Multiple(() =>
        {
            // A new path had no earlier content; naming it anyway does no harm.
            Assert.That(created.StaleFiles, Is.SubsetOf(new[] { "a.txt" }));
            Assert.That(replaced.StaleFiles, Is.EqualTo(new[] { "a.txt" }));
        });
    }

    [Test]
    public async Task UnknownFilesAndDirectoriesReadAsNull()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "dir/file.txt", "x");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Store.ReadFileAsync(workspace, "nope.txt", None), Is.Null);
            Assert.That(await Store.ReadFileAsync(workspace, "dir", None), Is.Null, "a directory is not a file");
            Assert.That(await Store.ReadFileAsync(Guid.NewGuid(), "dir/file.txt", None), Is.Null);
            Assert.That(await Store.ListTreeAsync(Guid.NewGuid(), None), Is.Empty);
            Assert.That(await Store.GetUsageAsync(Guid.NewGuid(), None), Is.EqualTo(new WorkspaceUsage(0, 0)));
        });
    }

    [Test]
    public async Task ContentRoundTripsByteForByte()
    {
        var workspace = Guid.NewGuid();
        var contents = new Dictionary<string, byte[]>
        {
            ["every-byte.bin"] = Enumerable.Range(0, 256).Select(value => (byte)value).Reverse().Concat(Enumerable.Range(0, 256).Select(value => (byte)value)).ToArray(),
            // A lone continuation byte, a truncated sequence, an overlong '/', a surrogate half, bytes UTF-8 never uses.
            ["invalid-utf8.txt"] = [0x61, 0x80, 0x62, 0xC3, 0x28, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xFE, 0xFF, 0x00, 0x63],
            ["bom.txt"] = [0xEF, 0xBB, 0xBF, .. Text("// starts with a byte order mark\r\n")],
            ["utf16.txt"] = [0xFF, 0xFE, 0x68, 0x00, 0x69, 0x00],
            ["empty.txt"] = [],
        };

        foreach (var (path, content) in contents)
        {
            Assert.That((await Store.WriteFileAsync(new FileWrite(workspace, path, content, WriteCondition.None, Alice), None)).Status, Is.EqualTo(MutationStatus.Done));
        }

        await Assert.MultipleAsync(async () =>
        {
            foreach (var (path, content) in contents)
            {
                var stored = await Store.ReadFileAsync(workspace, path, None);
                Assert.That(stored?.Content, Is.EqualTo(content), path);
            }

            var all = await ReadAllAsync(workspace);
            Assert.That(all.ToDictionary(file => file.Path, file => file.Content), Is.EquivalentTo(contents));
            Assert.That((await Store.ListTreeAsync(workspace, None)).ToDictionary(entry => entry.Path, entry => entry.Size),
                Is.EquivalentTo(contents.ToDictionary(pair => pair.Key, pair => (long?)pair.Value.Length)));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(contents.Values.Sum(content => content.Length), contents.Count)));
        });
    }

    [Test]
    public async Task MissingParentsAreCreatedAsDirectoriesOutermostFirst()
    {
        var workspace = Guid.NewGuid();

        var first = await WriteAsync(workspace, "src/app/lib/main.py", "print(1)");
        var second = await WriteAsync(workspace, "src/app/util.py", "x = 1");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(first.Status, Is.EqualTo(MutationStatus.Done));
            Assert.That(first.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, 1, ChangeType.Created, EntryType.Directory, "src", null, null, null, Alice, Now),
                new FileChange(workspace, 2, ChangeType.Created, EntryType.Directory, "src/app", null, null, null, Alice, Now),
                new FileChange(workspace, 3, ChangeType.Created, EntryType.Directory, "src/app/lib", null, null, null, Alice, Now),
                new FileChange(workspace, 4, ChangeType.Created, EntryType.File, "src/app/lib/main.py", null, 1, 8, Alice, Now),
            }));
            Assert.That(first.Change?.Path, Is.EqualTo("src/app/lib/main.py"));
            Assert.That(second.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, 5, ChangeType.Created, EntryType.File, "src/app/util.py", null, 1, 5, Alice, Now),
            }), "existing parents are not created again");
            Assert.That(await Store.ListTreeAsync(workspace, None), Is.EqualTo(new[]
            {
                new TreeEntry("src", EntryType.Directory, null, null, null),
                new TreeEntry("src/app", EntryType.Directory, null, null, null),
                new TreeEntry("src/app/lib", EntryType.Directory, null, null, null),
                new TreeEntry("src/app/lib/main.py", EntryType.File, 8, 1, Now),
                new TreeEntry("src/app/util.py", EntryType.File, 5, 1, Now),
            }));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(13, 5)));
        });
    }

    [Test]
    public async Task AFileCannotBeWrittenBelowAFile()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "notes.txt", "a file");

        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => WriteAsync(workspace, "notes.txt/inner.txt", "x"));
        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => WriteAsync(workspace, "notes.txt/deeper/inner.txt", "x"));
        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => Store.CreateDirectoryAsync(workspace, "notes.txt/sub", Alice, None));
    }

    [Test]
    public async Task AFileCannotReplaceADirectoryNorADirectoryAFile()
    {
        var workspace = Guid.NewGuid();
        await Store.CreateDirectoryAsync(workspace, "folder", Alice, None);
        await WriteAsync(workspace, "file", "x");

        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => WriteAsync(workspace, "folder", "x"));
        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => WriteAsync(workspace, "folder", "x", WriteCondition.CreateOnly));
        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => Store.CreateDirectoryAsync(workspace, "file", Alice, None));
    }

    // ---- conditions

    [Test]
    public async Task CreateOnlyRefusesAnExistingFile()
    {
        var workspace = Guid.NewGuid();

        var created = await WriteAsync(workspace, "a.txt", "first", WriteCondition.CreateOnly);
        await AssertRefusedAsync(workspace, MutationStatus.PreconditionFailed, () => WriteAsync(workspace, "a.txt", "second", WriteCondition.CreateOnly));

        Assert.That(created.Change?.Version, Is.EqualTo(1));
        Assert.That((await Store.ReadFileAsync(workspace, "a.txt", None))?.Content, Is.EqualTo(Text("first")));
    }

    [Test]
    public async Task AtVersionWritesOnlyOverThatVersion()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "a.txt", "v1");
        await WriteAsync(workspace, "a.txt", "v2");

        await AssertRefusedAsync(workspace, MutationStatus.PreconditionFailed, () => WriteAsync(workspace, "a.txt", "stale", WriteCondition.AtVersion(1)));
        await AssertRefusedAsync(workspace, MutationStatus.PreconditionFailed, () => WriteAsync(workspace, "a.txt", "future", WriteCondition.AtVersion(3)));
        await AssertRefusedAsync(workspace, MutationStatus.PreconditionFailed, () => WriteAsync(workspace, "missing.txt", "x", WriteCondition.AtVersion(1)));
        var written = await WriteAsync(workspace, "a.txt", "v3", WriteCondition.AtVersion(2));

        Assert.That(written.Status, Is.EqualTo(MutationStatus.Done));
        Assert.That(written.Change?.Version, Is.EqualTo(3));
        Assert.That((await Store.ReadFileAsync(workspace, "a.txt", None))?.Content, Is.EqualTo(Text("v3")));
    }

    [Test]
    public async Task ExistsWritesOnlyOverAFile()
    {
        var workspace = Guid.NewGuid();

        await AssertRefusedAsync(workspace, MutationStatus.PreconditionFailed, () => WriteAsync(workspace, "a.txt", "x", WriteCondition.Exists));
        await WriteAsync(workspace, "a.txt", "v1");
        var written = await WriteAsync(workspace, "a.txt", "v2", WriteCondition.Exists);

        Assert.That(written.Status, Is.EqualTo(MutationStatus.Done));
        Assert.That(written.Change?.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task OfTwoConcurrentWritesAtOneVersionExactlyOneWins()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "race.txt", "start");

        for (var round = 0; round < CompareAndSwapRounds; round++)
        {
            var version = (await Store.ReadFileAsync(workspace, "race.txt", None))!.Version;
            byte[][] contents = [Text($"left {round}"), Text($"right {round}")];

            var outcomes = await Task.WhenAll(contents.Select(content => Task.Run(() =>
                Store.WriteFileAsync(new FileWrite(workspace, "race.txt", content, WriteCondition.AtVersion(version), Alice), None))));

            var statuses = outcomes.Select(outcome => outcome.Status).ToList();
            Assert.That(statuses, Is.EquivalentTo(new[] { MutationStatus.Done, MutationStatus.PreconditionFailed }), $"round {round}");
            var winner = statuses.IndexOf(MutationStatus.Done);
            var stored = await Store.ReadFileAsync(workspace, "race.txt", None);
            Assert.That(stored?.Content, Is.EqualTo(contents[winner]), $"round {round}: the winner's content");
            Assert.That(stored?.Version, Is.EqualTo(version + 1), $"round {round}");
            Assert.That(outcomes[winner].Change?.Version, Is.EqualTo(version + 1), $"round {round}");
        }

        var log = await Store.ReadChangesAsync(workspace, 0, 1_000, None);
        Assert.That(log.Changes.Select(change => change.Sequence), Is.EqualTo(Enumerable.Range(1, CompareAndSwapRounds + 1).Select(sequence => (long)sequence)));
    }

    [Test]
    public async Task ConcurrentWritesToDifferentFilesAllLandWithGaplessSequences()
    {
        var workspace = Guid.NewGuid();
        await Store.CreateDirectoryAsync(workspace, "parallel", Alice, None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(index => Task.Run(() =>
            WriteAsync(workspace, $"parallel/{index}.txt", $"file {index}"))));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(outcomes.Select(outcome => outcome.Status), Has.All.EqualTo(MutationStatus.Done));
            Assert.That(outcomes.Select(outcome => outcome.Change!.Sequence), Is.EquivalentTo(Enumerable.Range(2, 12).Select(sequence => (long)sequence)));
            var log = await Store.ReadChangesAsync(workspace, 0, 1_000, None);
            Assert.That(log.Changes.Select(change => change.Sequence), Is.EqualTo(Enumerable.Range(1, 13).Select(sequence => (long)sequence)));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(outcomes.Sum(outcome => outcome.Change!.Size!.Value), 13)));
        });
    }

    // ---- many writes in one call

    [Test]
    public async Task SeveralFilesWrittenInOneCallEachGetTheirVersionAndOneChangeInOrder()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "a.txt", "a1");

        var mutations = await Store.WriteFilesAsync(workspace,
        [
            Write(workspace, "a.txt", "a2", WriteCondition.AtVersion(1)),
            Write(workspace, "b.txt", "bee", WriteCondition.CreateOnly, user: Bob),
            Write(workspace, "c.txt", "sea"),
        ], None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(mutations.Select(mutation => mutation.Status), Is.All.EqualTo(MutationStatus.Done));
            Assert.That(mutations.Select(mutation => mutation.Changes), Is.EqualTo(new[]
            {
                new[] { new FileChange(workspace, 2, ChangeType.Changed, EntryType.File, "a.txt", null, 2, 2, Alice, Now) },
                new[] { new FileChange(workspace, 3, ChangeType.Created, EntryType.File, "b.txt", null, 1, 3, Bob, Now) },
                new[] { new FileChange(workspace, 4, ChangeType.Created, EntryType.File, "c.txt", null, 1, 3, Alice, Now) },
            }));
            Assert.That(mutations.Select(mutation => mutation.StaleFiles), Is.EqualTo(new[] { new[] { "a.txt" }, ["b.txt"], ["c.txt"] }));
            Assert.That((await Store.ReadChangesAsync(workspace, 0, 100, None)).Changes.Skip(1), Is.EqualTo(mutations.SelectMany(mutation => mutation.Changes)));
            Assert.That((await ReadAllAsync(workspace)).Select(file => (file.Path, Encoding.UTF8.GetString(file.Content), file.Version, file.Sequence)), Is.EqualTo(new[]
            {
                ("a.txt", "a2", 2L, 2L), ("b.txt", "bee", 1L, 3L), ("c.txt", "sea", 1L, 4L),
            }));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(8, 3)));
        });
    }

    [Test]
    public async Task ARefusedItemOfABatchChangesNothingAndTheOthersAreWritten()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "a.txt", "a1");
        await WriteAsync(workspace, "a.txt", "a2");

        var mutations = await Store.WriteFilesAsync(workspace,
        [
            Write(workspace, "b.txt", "b1"),
            Write(workspace, "a.txt", "stale", WriteCondition.AtVersion(1)),
            Write(workspace, "a.txt/inner.txt", "below a file"),
            Write(workspace, "dir/c.txt", "c1"),
        ], None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(mutations.Select(mutation => mutation.Status), Is.EqualTo(new[]
            {
                MutationStatus.Done, MutationStatus.PreconditionFailed, MutationStatus.Conflict, MutationStatus.Done,
            }));
            Assert.That(mutations[1].Changes, Is.Empty);
            Assert.That(mutations[1].StaleFiles, Is.Empty);
            Assert.That(mutations[1].Detail, Is.Not.Null.And.Not.Empty, "a refusal says why");
            Assert.That(mutations[2].Changes, Is.Empty);
            // The refused items took no sequence numbers: the log stays gapless.
            Assert.That(mutations.SelectMany(mutation => mutation.Changes).Select(change => (change.Sequence, change.Path)), Is.EqualTo(new[]
            {
                (3L, "b.txt"), (4L, "dir"), (5L, "dir/c.txt"),
            }));
            Assert.That((await Store.ReadChangesAsync(workspace, 0, 100, None)).Changes.Select(change => change.Sequence), Is.EqualTo(new long[] { 1, 2, 3, 4, 5 }));
            var a = await Store.ReadFileAsync(workspace, "a.txt", None);
            Assert.That((a?.Content, a?.Version), Is.EqualTo((Text("a2"), (long?)2)));
            Assert.That((await Store.ListTreeAsync(workspace, None)).Select(entry => entry.Path), Is.EqualTo(new[] { "a.txt", "b.txt", "dir", "dir/c.txt" }));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(6, 4)));
        });
    }

    [Test]
    public async Task TwoWritesOfOnePathInABatchAreTwoWritesInTurn()
    {
        var workspace = Guid.NewGuid();

        var mutations = await Store.WriteFilesAsync(workspace,
        [
            Write(workspace, "a.txt", "one", WriteCondition.CreateOnly),
            Write(workspace, "a.txt", "two", WriteCondition.AtVersion(1)),
            Write(workspace, "a.txt", "stale", WriteCondition.AtVersion(1)),
            Write(workspace, "a.txt", "again", WriteCondition.CreateOnly),
            Write(workspace, "a.txt", "three", WriteCondition.AtVersion(2), user: Bob),
        ], None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(mutations.Select(mutation => mutation.Status), Is.EqualTo(new[]
            {
                MutationStatus.Done, MutationStatus.Done, MutationStatus.PreconditionFailed, MutationStatus.PreconditionFailed, MutationStatus.Done,
            }));
            Assert.That(mutations.SelectMany(mutation => mutation.Changes), Is.EqualTo(new[]
            {
                new FileChange(workspace, 1, ChangeType.Created, EntryType.File, "a.txt", null, 1, 3, Alice, Now),
                new FileChange(workspace, 2, ChangeType.Changed, EntryType.File, "a.txt", null, 2, 3, Alice, Now),
                new FileChange(workspace, 3, ChangeType.Changed, EntryType.File, "a.txt", null, 3, 5, Bob, Now),
            }));
            Assert.That(mutations[2].Detail, Does.Contain("version 2"), "the stale item saw the second write");
            var stored = await Store.ReadFileAsync(workspace, "a.txt", None);
            Assert.That((stored?.Content, stored?.Version, stored?.Sequence), Is.EqualTo((Text("three"), (long?)3, (long?)3)));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(5, 1)));
        });
    }

    [Test]
    public async Task AnItemOverTheQuotaIsRefusedAndTheOthersAreWritten()
    {
        var workspace = Guid.NewGuid();
        var fileBytes = FileStoreHarness.Limits.MaxFileBytes;
        var fitting = (int)(FileStoreHarness.Limits.MaxWorkspaceBytes / fileBytes);

        var mutations = await Store.WriteFilesAsync(workspace,
        [
            .. Enumerable.Range(0, fitting).Select(index => WriteOfBytes(workspace, $"f{index}.bin", fileBytes)),
            WriteOfBytes(workspace, "one-more.bin", 1),
            WriteOfBytes(workspace, "too-big.bin", fileBytes + 1),
            // Shrinking a file makes room, for the item after it.
            WriteOfBytes(workspace, "f0.bin", fileBytes - 10),
            WriteOfBytes(workspace, "one-more.bin", 10),
        ], None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(mutations.Select(mutation => mutation.Status), Is.EqualTo(Enumerable.Repeat(MutationStatus.Done, fitting).Concat(new[]
            {
                MutationStatus.QuotaExceeded, MutationStatus.QuotaExceeded, MutationStatus.Done, MutationStatus.Done,
            })));
            Assert.That(mutations.Where(mutation => mutation.Status == MutationStatus.QuotaExceeded).SelectMany(mutation => mutation.Changes), Is.Empty);
            Assert.That(mutations.SelectMany(mutation => mutation.Changes).Select(change => change.Sequence), Is.EqualTo(Enumerable.Range(1, fitting + 2).Select(sequence => (long)sequence)));
            Assert.That(await Store.ReadFileAsync(workspace, "too-big.bin", None), Is.Null);
            Assert.That((await Store.ReadFileAsync(workspace, "one-more.bin", None))?.Version, Is.EqualTo(1));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(FileStoreHarness.Limits.MaxWorkspaceBytes, fitting + 1)));
        });
    }

    [Test]
    public async Task ADeletedWorkspaceRefusesEveryItemOfABatch()
    {
        var doomed = Guid.NewGuid();
        await WriteAsync(doomed, "a.txt", "a1");
        await Store.DeleteWorkspaceAsync(doomed, None);

        var mutations = await Store.WriteFilesAsync(doomed,
        [
            Write(doomed, "a.txt", "late"),
            Write(doomed, "b.txt", "late"),
            WriteOfBytes(doomed, "c.bin", FileStoreHarness.Limits.MaxFileBytes),
        ], None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(mutations.Select(mutation => mutation.Status), Is.EqualTo(Enumerable.Repeat(MutationStatus.NotFound, 3)));
            Assert.That(mutations.SelectMany(mutation => mutation.Changes), Is.Empty);
            Assert.That(mutations.Select(mutation => mutation.Detail), Has.All.Not.Null.And.Not.Empty);
            Assert.That(await Store.ListTreeAsync(doomed, None), Is.Empty);
            Assert.That(await Store.GetUsageAsync(doomed, None), Is.EqualTo(new WorkspaceUsage(0, 0)));
            Assert.That((await Store.ReadChangesAsync(doomed, 0, 100, None)).Changes, Is.Empty);
        });
    }

    [Test]
    public async Task AnEmptyBatchAnswersNothingAndAWriteOfAnotherWorkspaceIsAMistake()
    {
        var workspace = Guid.NewGuid();
        var elsewhere = Guid.NewGuid();

        var none = await Store.WriteFilesAsync(workspace, [], None);

        Assert.That(none, Is.Empty);
        Assert.ThrowsAsync<ArgumentException>(() => Store.WriteFilesAsync(workspace, [Write(workspace, "a.txt", "here"), Write(elsewhere, "a.txt", "there")], None));
        Assert.That(await Store.ListTreeAsync(workspace, None), Is.Empty);
        Assert.That(await Store.ListTreeAsync(elsewhere, None), Is.Empty);
    }

    // ---- versions never repeat

    [Test]
    public async Task AFileRecreatedAfterADeleteContinuesItsVersions()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "a.txt", "v1");
        await WriteAsync(workspace, "a.txt", "v2");

        await Store.DeleteAsync(workspace, "a.txt", null, Alice, None);
        var recreated = await WriteAsync(workspace, "a.txt", "again");

        Assert.That(recreated.Change, Is.EqualTo(new FileChange(workspace, 4, ChangeType.Created, EntryType.File, "a.txt", null, 3, 5, Alice, Now)));
        Assert.That((await Store.ReadFileAsync(workspace, "a.txt", None))?.Version, Is.EqualTo(3));
        // A stale If-Match for the deleted file's version cannot match the new one.
        await AssertRefusedAsync(workspace, MutationStatus.PreconditionFailed, () => WriteAsync(workspace, "a.txt", "stale", WriteCondition.AtVersion(2)));
    }

    [Test]
    public async Task AFileRecreatedAfterItsDirectoryWasDeletedContinuesItsVersions()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "dir/sub/a.txt", "v1");
        await WriteAsync(workspace, "dir/sub/a.txt", "v2");
        await WriteAsync(workspace, "dir/sub/a.txt", "v3");

        await Store.DeleteAsync(workspace, "dir", null, Alice, None);
        var recreated = await WriteAsync(workspace, "dir/sub/a.txt", "again");

        Assert.That(recreated.Change?.Version, Is.EqualTo(4));
    }

    [Test]
    public async Task AFileRecreatedWhereOneMovedAwayContinuesItsVersions()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "a.txt", "v1");
        await WriteAsync(workspace, "a.txt", "v2");

        var moved = await Store.MoveAsync(workspace, "a.txt", "b.txt", false, Alice, None);
        var recreated = await WriteAsync(workspace, "a.txt", "new a");

        Assert.That(moved.Status, Is.EqualTo(MutationStatus.Done));
        Assert.That(recreated.Change?.Version, Is.EqualTo(3));
    }

    [Test]
    public async Task AFileMovedOntoAPathWithHistoryContinuesThatPathsVersions()
    {
        var workspace = Guid.NewGuid();
        for (var version = 1; version <= 4; version++)
        {
            await WriteAsync(workspace, "target.txt", $"v{version}");
        }
        await Store.DeleteAsync(workspace, "target.txt", null, Alice, None);
        await WriteAsync(workspace, "source.txt", "from elsewhere");

        var moved = await Store.MoveAsync(workspace, "source.txt", "target.txt", false, Alice, None);

        Assert.That(moved.Change?.Version, Is.EqualTo(5));
        Assert.That((await Store.ReadFileAsync(workspace, "target.txt", None))?.Version, Is.EqualTo(5));
    }

    [Test]
    public async Task AMovedFileTakesTheNextVersionOfItsOwn()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "a.txt", "v1");
        await WriteAsync(workspace, "a.txt", "v2");

        var moved = await Store.MoveAsync(workspace, "a.txt", "fresh.txt", false, Alice, None);

        // Above its own version, so a cache keyed by path and version never confuses the two.
        Assert.That(moved.Change?.Version, Is.EqualTo(3));
    }

    // ---- directories

    [Test]
    public async Task CreatingADirectoryCreatesItsParentsOnceAndThenNothing()
    {
        var workspace = Guid.NewGuid();

        var first = await Store.CreateDirectoryAsync(workspace, "a/b/c", Bob, None);
        var again = await Store.CreateDirectoryAsync(workspace, "a/b/c", Bob, None);
        var parent = await Store.CreateDirectoryAsync(workspace, "a", Bob, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(first.Status, Is.EqualTo(MutationStatus.Done));
            Assert.That(first.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, 1, ChangeType.Created, EntryType.Directory, "a", null, null, null, Bob, Now),
                new FileChange(workspace, 2, ChangeType.Created, EntryType.Directory, "a/b", null, null, null, Bob, Now),
                new FileChange(workspace, 3, ChangeType.Created, EntryType.Directory, "a/b/c", null, null, null, Bob, Now),
            }));
            Assert.That(first.StaleFiles, Is.Empty);
            foreach (var unchanged in new[] { again, parent })
            {
                Assert.That(unchanged.Status, Is.EqualTo(MutationStatus.Done));
                Assert.That(unchanged.Changes, Is.Empty);
                Assert.That(unchanged.StaleFiles, Is.Empty);
            }
            Assert.That((await Store.ReadChangesAsync(workspace, 0, 100, None)).LatestSequence, Is.EqualTo(3));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(0, 3)));
            Assert.That((await Store.ListTreeAsync(workspace, None)).Select(entry => entry.Path), Is.EqualTo(new[] { "a", "a/b", "a/b/c" }));
        });
    }

    // ---- deleting

    [Test]
    public async Task DeletingAFileRemovesItAndLogsOneChange()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "dir/a.txt", "aaa");
        await WriteAsync(workspace, "dir/b.txt", "bb");

        var deleted = await Store.DeleteAsync(workspace, "dir/a.txt", null, Bob, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(deleted.Status, Is.EqualTo(MutationStatus.Done));
            Assert.That(deleted.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, 4, ChangeType.Deleted, EntryType.File, "dir/a.txt", null, null, null, Bob, Now),
            }));
            Assert.That(deleted.StaleFiles, Is.EqualTo(new[] { "dir/a.txt" }));
            Assert.That(await Store.ReadFileAsync(workspace, "dir/a.txt", None), Is.Null);
            Assert.That((await Store.ListTreeAsync(workspace, None)).Select(entry => entry.Path), Is.EqualTo(new[] { "dir", "dir/b.txt" }));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(2, 2)));
        });
        await AssertRefusedAsync(workspace, MutationStatus.NotFound, () => Store.DeleteAsync(workspace, "dir/a.txt", null, Bob, None));
        await AssertRefusedAsync(workspace, MutationStatus.NotFound, () => Store.DeleteAsync(workspace, "nowhere", null, Bob, None));
    }

    [Test]
    public async Task DeletingAFileAtAnExpectedVersion()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "a.txt", "v1");
        await WriteAsync(workspace, "a.txt", "v2");

        await AssertRefusedAsync(workspace, MutationStatus.PreconditionFailed, () => Store.DeleteAsync(workspace, "a.txt", 1, Alice, None));
        var deleted = await Store.DeleteAsync(workspace, "a.txt", 2, Alice, None);

        Assert.That(deleted.Status, Is.EqualTo(MutationStatus.Done));
        Assert.That(await Store.ReadFileAsync(workspace, "a.txt", None), Is.Null);
    }

    [Test]
    public async Task DeletingADirectoryRemovesEverythingUnderItAndNothingBesideIt()
    {
        var workspace = Guid.NewGuid();
        string[] doomed = ["src/a.txt", "src/deep/er/b.txt", "src/deep/c.txt"];
        string[] kept = ["src2/x.txt", "src-x/y.txt", "src.txt", "srd/z.txt", "a/src/w.txt"];
        foreach (var path in doomed.Concat(kept))
        {
            await WriteAsync(workspace, path, path);
        }
        await Store.CreateDirectoryAsync(workspace, "src/empty", Alice, None);
        var treeBefore = await Store.ListTreeAsync(workspace, None);
        var latest = (await Store.ReadChangesAsync(workspace, 0, 1_000, None)).LatestSequence;

        var deleted = await Store.DeleteAsync(workspace, "src", null, Alice, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(deleted.Status, Is.EqualTo(MutationStatus.Done));
            Assert.That(deleted.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, latest + 1, ChangeType.Deleted, EntryType.Directory, "src", null, null, null, Alice, Now),
            }), "one change for the whole directory");
            Assert.That(deleted.StaleFiles, Is.EquivalentTo(doomed));
            Assert.That(await Store.ListTreeAsync(workspace, None),
                Is.EqualTo(treeBefore.Where(entry => entry.Path != "src" && !entry.Path.StartsWith("src/", StringComparison.Ordinal))));
            Assert.That((await ReadAllAsync(workspace)).Select(file => file.Path), Is.EquivalentTo(kept));
            foreach (var path in doomed)
            {
                Assert.That(await Store.ReadFileAsync(workspace, path, None), Is.Null, path);
            }
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(
                kept.Sum(path => Text(path).Length),
                treeBefore.Count(entry => entry.Path != "src" && !entry.Path.StartsWith("src/", StringComparison.Ordinal)))));
        });
    }

    // ---- moving

    [Test]
    public async Task MovingAFileKeepsItsBytesUnderTheNewPath()
    {
        var workspace = Guid.NewGuid();
        byte[] content = [0x00, 0xFF, 0x80, .. Text("moved")];
        await Store.WriteFileAsync(new FileWrite(workspace, "old/name.bin", content, WriteCondition.None, Alice), None);
        harness.Clock.Advance(TimeSpan.FromSeconds(3));

        var moved = await Store.MoveAsync(workspace, "old/name.bin", "new/place/name.bin", false, Bob, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(moved.Status, Is.EqualTo(MutationStatus.Done));
            Assert.That(moved.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, 3, ChangeType.Created, EntryType.Directory, "new", null, null, null, Bob, Now),
                new FileChange(workspace, 4, ChangeType.Created, EntryType.Directory, "new/place", null, null, null, Bob, Now),
                new FileChange(workspace, 5, ChangeType.Moved, EntryType.File, "new/place/name.bin", "old/name.bin", 2, content.Length, Bob, Now),
            }));
            Assert.That(moved.StaleFiles, Does.Contain("old/name.bin"));
            Assert.That(moved.StaleFiles, Is.SubsetOf(new[] { "old/name.bin", "new/place/name.bin" }));
            Assert.That(await Store.ReadFileAsync(workspace, "old/name.bin", None), Is.Null);
            var stored = await Store.ReadFileAsync(workspace, "new/place/name.bin", None);
            Assert.That(stored?.Content, Is.EqualTo(content));
            Assert.That(stored?.Version, Is.EqualTo(2));
            Assert.That(stored?.Sequence, Is.EqualTo(5));
            Assert.That(stored?.ModifiedAt, Is.EqualTo(Now));
            Assert.That((await Store.ListTreeAsync(workspace, None)).Select(entry => entry.Path),
                Is.EqualTo(new[] { "new", "new/place", "new/place/name.bin", "old" }));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(content.Length, 4)));
        });
    }

    [Test]
    public async Task MovingADirectoryOfAHundredFilesMovesEveryOne()
    {
        var workspace = Guid.NewGuid();
        var files = Enumerable.Range(0, 100).ToDictionary(
            index => $"big/s{index % 4}/f{index:D3}.txt",
            index => Text($"file {index} {new string('x', index % 7)}"));
        foreach (var (path, content) in files)
        {
            await Store.WriteFileAsync(new FileWrite(workspace, path, content, WriteCondition.None, Alice), None);
        }
        string[] neighbours = ["big2/keep.txt", "big-x/keep.txt", "bigger.txt"];
        foreach (var path in neighbours)
        {
            await WriteAsync(workspace, path, "neighbour");
        }
        var usage = await Store.GetUsageAsync(workspace, None);
        var latest = (await Store.ReadChangesAsync(workspace, 0, 1_000, None)).LatestSequence;

        var moved = await Store.MoveAsync(workspace, "big", "archive/big", false, Alice, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(moved.Status, Is.EqualTo(MutationStatus.Done), moved.Detail);
            Assert.That(moved.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, latest + 1, ChangeType.Created, EntryType.Directory, "archive", null, null, null, Alice, Now),
                new FileChange(workspace, latest + 2, ChangeType.Moved, EntryType.Directory, "archive/big", "big", null, null, Alice, Now),
            }), "one change for the whole directory");
            Assert.That(moved.StaleFiles, Is.SupersetOf(files.Keys));
            Assert.That(moved.StaleFiles, Is.SubsetOf(files.Keys.Concat(files.Keys.Select(path => $"archive/{path}"))));

            foreach (var (path, content) in files)
            {
                Assert.That(await Store.ReadFileAsync(workspace, path, None), Is.Null, path);
                var stored = await Store.ReadFileAsync(workspace, $"archive/{path}", None);
                Assert.That(stored?.Content, Is.EqualTo(content), path);
                Assert.That(stored?.Version, Is.EqualTo(2), path);
            }
            var tree = await Store.ListTreeAsync(workspace, None);
            Assert.That(tree.Where(entry => entry.Path == "big" || entry.Path.StartsWith("big/", StringComparison.Ordinal)), Is.Empty);
            Assert.That(tree.Where(entry => entry.Type == EntryType.Directory).Select(entry => entry.Path), Is.SupersetOf(new[]
            {
                "archive", "archive/big", "archive/big/s0", "archive/big/s1", "archive/big/s2", "archive/big/s3",
            }));
            foreach (var path in neighbours)
            {
                Assert.That((await Store.ReadFileAsync(workspace, path, None))?.Content, Is.EqualTo(Text("neighbour")), path);
            }
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(usage with { Entries = usage.Entries + 1 }));
        });
    }

    [Test]
    public async Task ADirectoryCannotMoveIntoItself()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "dir/a.txt", "a");

        await AssertRefusedAsync(workspace, MutationStatus.Invalid, () => Store.MoveAsync(workspace, "dir", "dir/inner", false, Alice, None));
        await AssertRefusedAsync(workspace, MutationStatus.Invalid, () => Store.MoveAsync(workspace, "dir", "dir/a/b", false, Alice, None));
        await AssertRefusedAsync(workspace, MutationStatus.Invalid, () => Store.MoveAsync(workspace, "dir", "dir", true, Alice, None));
    }

    [Test]
    public async Task AMissingSourceIsNotFound()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "present.txt", "x");

        await AssertRefusedAsync(workspace, MutationStatus.NotFound, () => Store.MoveAsync(workspace, "absent.txt", "elsewhere.txt", false, Alice, None));
        await AssertRefusedAsync(workspace, MutationStatus.NotFound, () => Store.MoveAsync(workspace, "absent.txt", "present.txt", true, Alice, None));
    }

    [Test]
    public async Task AnExistingTargetIsAConflictWithoutOverwrite()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "a.txt", "a");
        await WriteAsync(workspace, "b.txt", "b");
        await WriteAsync(workspace, "d1/x.txt", "x");
        await WriteAsync(workspace, "d2/y.txt", "y");

        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => Store.MoveAsync(workspace, "a.txt", "b.txt", false, Alice, None));
        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => Store.MoveAsync(workspace, "d1", "d2", false, Alice, None));
        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => Store.MoveAsync(workspace, "a.txt", "d2", false, Alice, None));
        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => Store.MoveAsync(workspace, "a.txt", "b.txt/inner.txt", false, Alice, None));
    }

    [Test]
    public async Task OverwriteReplacesOnlyLikeWithLike()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "file.txt", "f");
        await WriteAsync(workspace, "dir/x.txt", "x");

        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => Store.MoveAsync(workspace, "file.txt", "dir", true, Alice, None));
        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => Store.MoveAsync(workspace, "dir", "file.txt", true, Alice, None));
        // The target holds the source: replacing it would delete what moves.
        await AssertRefusedAsync(workspace, MutationStatus.Conflict, () => Store.MoveAsync(workspace, "dir/x.txt", "dir", true, Alice, None));
    }

    [Test]
    public async Task OverwritingAFileReplacesItAndContinuesTheTargetsVersions()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "source.txt", "new content");
        for (var version = 1; version <= 3; version++)
        {
            await WriteAsync(workspace, "target.txt", $"old {version}");
        }

        var moved = await Store.MoveAsync(workspace, "source.txt", "target.txt", true, Alice, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(moved.Status, Is.EqualTo(MutationStatus.Done));
            Assert.That(moved.Changes, Is.EqualTo(new[]
            {
                new FileChange(workspace, 5, ChangeType.Moved, EntryType.File, "target.txt", "source.txt", 4, 11, Alice, Now),
            }));
            Assert.That(moved.StaleFiles, Is.EquivalentTo(new[] { "source.txt", "target.txt" }));
            var stored = await Store.ReadFileAsync(workspace, "target.txt", None);
            Assert.That(stored?.Content, Is.EqualTo(Text("new content")));
            Assert.That(stored?.Version, Is.EqualTo(4));
            Assert.That(await Store.ReadFileAsync(workspace, "source.txt", None), Is.Null);
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(11, 1)));
        });
    }

    [Test]
    public async Task OverwritingADirectoryReplacesItsWholeContent()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "incoming/same.txt", "incoming same");
        await WriteAsync(workspace, "incoming/new.txt", "incoming new");
        await WriteAsync(workspace, "current/same.txt", "current same");
        await WriteAsync(workspace, "current/same.txt", "current same, v2");
        await WriteAsync(workspace, "current/gone/old.txt", "only in current");

        var moved = await Store.MoveAsync(workspace, "incoming", "current", true, Alice, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(moved.Status, Is.EqualTo(MutationStatus.Done));
            Assert.That(moved.Change, Is.EqualTo(new FileChange(workspace, 9, ChangeType.Moved, EntryType.Directory, "current", "incoming", null, null, Alice, Now)));
            Assert.That(moved.StaleFiles, Is.SupersetOf(new[] { "incoming/same.txt", "incoming/new.txt", "current/same.txt", "current/gone/old.txt" }));
            Assert.That((await Store.ListTreeAsync(workspace, None)).Select(entry => entry.Path), Is.EqualTo(new[] { "current", "current/new.txt", "current/same.txt" }));
            var same = await Store.ReadFileAsync(workspace, "current/same.txt", None);
            Assert.That(same?.Content, Is.EqualTo(Text("incoming same")));
            Assert.That(same?.Version, Is.EqualTo(3), "above the replaced file's version 2");
            Assert.That((await Store.ReadFileAsync(workspace, "current/new.txt", None))?.Version, Is.EqualTo(2));
            Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(Text("incoming same").Length + Text("incoming new").Length, 3)));
        });
        // The replaced file's history continues too.
        Assert.That((await WriteAsync(workspace, "current/gone/old.txt", "back")).Change?.Version, Is.EqualTo(2));
    }

    // ---- quota

    [Test]
    public async Task AFileOverTheFileLimitIsRefused()
    {
        var workspace = Guid.NewGuid();
        await WriteAsync(workspace, "small.txt", "x");

        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => WriteBytesAsync(workspace, "big.bin", FileStoreHarness.Limits.MaxFileBytes + 1));
        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => WriteBytesAsync(workspace, "small.txt", FileStoreHarness.Limits.MaxFileBytes + 1));
        var atTheLimit = await WriteBytesAsync(workspace, "big.bin", FileStoreHarness.Limits.MaxFileBytes);

        Assert.That(atTheLimit.Status, Is.EqualTo(MutationStatus.Done));
    }

    [Test]
    public async Task TheWorkspaceByteQuotaCountsWhatAReplacementAdds()
    {
        var workspace = Guid.NewGuid();
        var fileBytes = FileStoreHarness.Limits.MaxFileBytes;
        var files = (int)(FileStoreHarness.Limits.MaxWorkspaceBytes / fileBytes);
        for (var index = 0; index < files; index++)
        {
            Assert.That((await WriteBytesAsync(workspace, $"f{index}.bin", fileBytes)).Status, Is.EqualTo(MutationStatus.Done));
        }
        Assert.That((await Store.GetUsageAsync(workspace, None)).Bytes, Is.EqualTo(FileStoreHarness.Limits.MaxWorkspaceBytes), "full to the byte");

        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => WriteBytesAsync(workspace, "one-more.bin", 1));
        // Same size: adds nothing. Smaller: frees the difference, which others may then take.
        Assert.That((await WriteBytesAsync(workspace, "f0.bin", fileBytes)).Status, Is.EqualTo(MutationStatus.Done));
        Assert.That((await WriteBytesAsync(workspace, "f0.bin", fileBytes - 100)).Status, Is.EqualTo(MutationStatus.Done));
        Assert.That((await WriteBytesAsync(workspace, "fifty.bin", 50)).Status, Is.EqualTo(MutationStatus.Done));
        // Growing back by 100 would need 50 bytes more than are left; by 50 fills the quota exactly.
        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => WriteBytesAsync(workspace, "f0.bin", fileBytes));
        Assert.That((await WriteBytesAsync(workspace, "f0.bin", fileBytes - 50)).Status, Is.EqualTo(MutationStatus.Done));
        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => WriteBytesAsync(workspace, "one-more.bin", 1));

        Assert.That(await Store.GetUsageAsync(workspace, None), Is.EqualTo(new WorkspaceUsage(FileStoreHarness.Limits.MaxWorkspaceBytes, files + 1)));
    }

    [Test]
    public async Task TheEntryQuotaCountsTheParentsAWriteWouldCreate()
    {
        var workspace = Guid.NewGuid();
        var limit = FileStoreHarness.Limits.MaxWorkspaceEntries;
        await WriteAsync(workspace, "top.txt", "x");

        // One entry too many, all of it in parents.
        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => WriteAsync(workspace, Deep(limit - 1, "f.txt"), "x"));
        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => Store.CreateDirectoryAsync(workspace, Deep(limit, null), Alice, None));
        var filled = await WriteAsync(workspace, Deep(limit - 2, "f.txt"), "x");
        Assert.That(filled.Status, Is.EqualTo(MutationStatus.Done), filled.Detail);
        Assert.That(filled.Changes, Has.Count.EqualTo(limit - 1));
        Assert.That((await Store.GetUsageAsync(workspace, None)).Entries, Is.EqualTo(limit));

        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => WriteAsync(workspace, "another.txt", "x"));
        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => Store.CreateDirectoryAsync(workspace, "another", Alice, None));
        await AssertRefusedAsync(workspace, MutationStatus.QuotaExceeded, () => Store.MoveAsync(workspace, "top.txt", "fresh/top.txt", false, Alice, None));
        // What adds no entry still goes ahead.
        Assert.That((await WriteAsync(workspace, "top.txt", "replaced")).Status, Is.EqualTo(MutationStatus.Done));
        Assert.That((await Store.MoveAsync(workspace, "top.txt", "renamed.txt", false, Alice, None)).Status, Is.EqualTo(MutationStatus.Done));
        Assert.That((await Store.CreateDirectoryAsync(workspace, "d", Alice, None)).Status, Is.EqualTo(MutationStatus.Done), "an existing directory");

        static string Deep(int directories, string? file) =>
            string.Join('/', Enumerable.Repeat("d", directories).Concat(file is null ? [] : [file]));
    }

    // ---- account quota: the bytes of every workspace one account pays for (AccountQuota)

    [Test]
    public async Task AWriteThatWouldTakeTheOwnersAccountOverItsQuotaIsRefusedAndChangesNothing()
    {
        var owner = Guid.NewGuid();
        var (first, second) = (await OwnedWorkspaceAsync(owner), await OwnedWorkspaceAsync(owner));
        var fileBytes = FileStoreHarness.Limits.MaxFileBytes;
        await FillAsync(first, FileStoreHarness.Limits.MaxWorkspaceBytes);
        await FillAsync(second, FileStoreHarness.Limits.MaxAccountBytes - FileStoreHarness.Limits.MaxWorkspaceBytes);
        Assert.That(await Store.GetAccountUsageAsync(owner, None), Is.EqualTo(new AccountUsage(FileStoreHarness.Limits.MaxAccountBytes, 2)), "full to the byte");

        // The second workspace has room of its own; the account has none.
        Assert.That((await Store.GetUsageAsync(second, None)).Bytes, Is.LessThan(FileStoreHarness.Limits.MaxWorkspaceBytes));
        await AssertRefusedAsync(second, MutationStatus.QuotaExceeded, () => WriteBytesAsync(second, "one-more.bin", 1));
        var sameSize = await WriteBytesAsync(second, "f0.bin", fileBytes);
        Assert.That(sameSize.Status, Is.EqualTo(MutationStatus.Done), "a replacement of the same size adds nothing");
        var detail = (await WriteBytesAsync(second, "one-more.bin", 1)).Detail;
        Assert.That(detail, Does.Contain("account").And.Contain($"{FileStoreHarness.Limits.MaxAccountBytes}"), "says it is the account's quota");

        // Shrinking a file makes room, which another file may then take.
        Assert.That((await WriteBytesAsync(second, "f0.bin", fileBytes - 100)).Status, Is.EqualTo(MutationStatus.Done));
        Assert.That((await WriteBytesAsync(second, "hundred.bin", 100)).Status, Is.EqualTo(MutationStatus.Done));
        await AssertRefusedAsync(second, MutationStatus.QuotaExceeded, () => WriteBytesAsync(second, "one-more.bin", 1));
        Assert.That(await Store.GetAccountUsageAsync(owner, None), Is.EqualTo(new AccountUsage(FileStoreHarness.Limits.MaxAccountBytes, 2)));

        // Another account's workspace, and one whose owner was never heard of, are not held back by it.
        var other = await OwnedWorkspaceAsync(Guid.NewGuid());
        Assert.That((await WriteBytesAsync(other, "f.bin", fileBytes)).Status, Is.EqualTo(MutationStatus.Done));
        Assert.That((await WriteBytesAsync(Guid.NewGuid(), "f.bin", fileBytes)).Status, Is.EqualTo(MutationStatus.Done));
    }

    [Test]
    public async Task WritesOfAMemberCountAgainstTheWorkspacesOwner()
    {
        var (owner, member) = (Guid.NewGuid(), Guid.NewGuid());
        var workspace = await OwnedWorkspaceAsync(owner);
        var membersOwn = await OwnedWorkspaceAsync(member);
        await WriteAsync(membersOwn, "mine.txt", "12345");

        var written = await Store.WriteFileAsync(new FileWrite(workspace, "theirs.txt", Text("1234567"), WriteCondition.None, member), None);

        Assert.That(written.Status, Is.EqualTo(MutationStatus.Done));
        Assert.That(await Store.GetAccountUsageAsync(owner, None), Is.EqualTo(new AccountUsage(7, 1)));
        Assert.That(await Store.GetAccountUsageAsync(member, None), Is.EqualTo(new AccountUsage(5, 1)));
    }

    [Test]
    public async Task DeletingAWorkspaceFreesItsBytesInTheOwnersAccount()
    {
        var owner = Guid.NewGuid();
        var (doomed, kept) = (await OwnedWorkspaceAsync(owner), await OwnedWorkspaceAsync(owner));
        await FillAsync(doomed, FileStoreHarness.Limits.MaxWorkspaceBytes);
        await FillAsync(kept, FileStoreHarness.Limits.MaxAccountBytes - FileStoreHarness.Limits.MaxWorkspaceBytes);
        await AssertRefusedAsync(kept, MutationStatus.QuotaExceeded, () => WriteBytesAsync(kept, "more.bin", FileStoreHarness.Limits.MaxFileBytes));

        await Store.DeleteWorkspaceAsync(doomed, None);
        // A late event about the deleted workspace gives it no owner, and no bytes, again.
        await Store.AddOwnerAsync(doomed, owner, Now, None);

        Assert.That(await Store.GetAccountUsageAsync(owner, None), Is.EqualTo(new AccountUsage(FileStoreHarness.Limits.MaxAccountBytes - FileStoreHarness.Limits.MaxWorkspaceBytes, 1)));
        Assert.That((await WriteBytesAsync(kept, "more.bin", FileStoreHarness.Limits.MaxFileBytes)).Status, Is.EqualTo(MutationStatus.Done));
    }

    [Test]
    public async Task TheLongestStandingOwnerPaysAndTheNextOneWhenTheyStopOwning()
    {
        var (creator, coOwner) = (Guid.NewGuid(), Guid.NewGuid());
        var workspace = await OwnedWorkspaceAsync(creator);
        await WriteAsync(workspace, "a.txt", "1234");
        await Store.AddOwnerAsync(workspace, coOwner, Now.AddMinutes(1), None);

        var whileBoth = (await Store.GetAccountUsageAsync(creator, None), await Store.GetAccountUsageAsync(coOwner, None));
        await Store.RemoveOwnerAsync(workspace, creator, None);
        var afterTheCreatorLeft = (await Store.GetAccountUsageAsync(creator, None), await Store.GetAccountUsageAsync(coOwner, None));
        // Made owner again later, the creator now stands behind the co-owner; a repeated event keeps the co-owner's first time.
        await Store.AddOwnerAsync(workspace, creator, Now.AddMinutes(2), None);
        await Store.AddOwnerAsync(workspace, coOwner, Now.AddMinutes(3), None);
        var afterTheCreatorCameBack = (await Store.GetAccountUsageAsync(creator, None), await Store.GetAccountUsageAsync(coOwner, None));

        Assert.Multiple(() =>
        {
            Assert.That(whileBoth, Is.EqualTo((new AccountUsage(4, 1), new AccountUsage(0, 0))));
            Assert.That(afterTheCreatorLeft, Is.EqualTo((new AccountUsage(0, 0), new AccountUsage(4, 1))));
            Assert.That(afterTheCreatorCameBack, Is.EqualTo((new AccountUsage(0, 0), new AccountUsage(4, 1))));
        });
    }

    [Test]
    public async Task ConcurrentWritesIntoWorkspacesOfOneAccountNeverPassItsQuotaTogether()
    {
        var owner = Guid.NewGuid();
        var workspaces = new[] { await OwnedWorkspaceAsync(owner), await OwnedWorkspaceAsync(owner) };
        var fileBytes = FileStoreHarness.Limits.MaxFileBytes;
        var perWorkspace = (int)(FileStoreHarness.Limits.MaxWorkspaceBytes / fileBytes);

        // Each workspace alone has room for all of its writes; the account for only some.
        var outcomes = await Task.WhenAll(workspaces.SelectMany(workspace => Enumerable.Range(0, perWorkspace).Select(index => Task.Run(() =>
            WriteBytesAsync(workspace, $"race-{index}.bin", fileBytes)))));

        var fitting = (int)(FileStoreHarness.Limits.MaxAccountBytes / fileBytes);
        Assert.Multiple(async () =>
        {
            Assert.That(outcomes.Count(outcome => outcome.Status == MutationStatus.Done), Is.EqualTo(fitting));
            Assert.That(outcomes.Count(outcome => outcome.Status == MutationStatus.QuotaExceeded), Is.EqualTo(outcomes.Length - fitting));
            Assert.That(await Store.GetAccountUsageAsync(owner, None), Is.EqualTo(new AccountUsage(fitting * fileBytes, 2)));
        });
    }

    [Test]
    public async Task WritesOfOneCallAreEachAnsweredAgainstTheAccountQuota()
    {
        var owner = Guid.NewGuid();
        var (full, open) = (await OwnedWorkspaceAsync(owner), await OwnedWorkspaceAsync(owner));
        await FillAsync(full, FileStoreHarness.Limits.MaxWorkspaceBytes);
        var room = 500L;
        await FillAsync(open, FileStoreHarness.Limits.MaxAccountBytes - FileStoreHarness.Limits.MaxWorkspaceBytes - room);

        var mutations = await Store.WriteFilesAsync(open,
        [
            WriteOfBytes(open, "too-much.bin", room + 1),
            WriteOfBytes(open, "most.bin", room - 100),
            WriteOfBytes(open, "rest.bin", 100),
            WriteOfBytes(open, "over.bin", 1),
        ], None);

        Assert.Multiple(async () =>
        {
            Assert.That(mutations.Select(mutation => mutation.Status), Is.EqualTo(new[]
            {
                MutationStatus.QuotaExceeded, MutationStatus.Done, MutationStatus.Done, MutationStatus.QuotaExceeded,
            }));
            Assert.That(await Store.ReadFileAsync(open, "too-much.bin", None), Is.Null);
            Assert.That(await Store.GetAccountUsageAsync(owner, None), Is.EqualTo(new AccountUsage(FileStoreHarness.Limits.MaxAccountBytes, 2)));
        });
    }

    [Test]
    public async Task UsageCountsFileBytesFilesAndDirectories()
    {
        var workspace = Guid.NewGuid();

        await WriteAsync(workspace, "a/b.txt", "12345");
        await WriteAsync(workspace, "a/c.txt", "1234567");
        await Store.CreateDirectoryAsync(workspace, "d/e", Alice, None);
        var afterWrites = await Store.GetUsageAsync(workspace, None);
        await Store.MoveAsync(workspace, "a/c.txt", "d/e/c.txt", false, Alice, None);
        var afterMove = await Store.GetUsageAsync(workspace, None);
        await Store.DeleteAsync(workspace, "d", null, Alice, None);
        var afterDelete = await Store.GetUsageAsync(workspace, None);

        Assert.Multiple(() =>
        {
            Assert.That(afterWrites, Is.EqualTo(new WorkspaceUsage(12, 5)));
            Assert.That(afterMove, Is.EqualTo(new WorkspaceUsage(12, 5)));
            Assert.That(afterDelete, Is.EqualTo(new WorkspaceUsage(5, 2)));
        });
    }

    // ---- change log

    [Test]
    public async Task EachWorkspaceNumbersItsChangesFromOneWithoutGaps()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        await WriteAsync(first, "x/1.txt", "1");
        await WriteAsync(second, "1.txt", "1");
        await Store.CreateDirectoryAsync(first, "y", Alice, None);
        await AssertRefusedAsync(first, MutationStatus.Conflict, () => WriteAsync(first, "y", "refused: numbers nothing"));
        await Store.MoveAsync(first, "x", "z", false, Alice, None);
        await WriteAsync(second, "1.txt", "2");
        await Store.DeleteAsync(first, "z", null, Alice, None);

        await Assert.MultipleAsync(async () =>
        {
            var firstLog = await Store.ReadChangesAsync(first, 0, 100, None);
            Assert.That(firstLog.Changes.Select(change => (change.Sequence, change.Type, change.Path)), Is.EqualTo(new[]
            {
                (1L, ChangeType.Created, "x"),
                (2L, ChangeType.Created, "x/1.txt"),
                (3L, ChangeType.Created, "y"),
                (4L, ChangeType.Moved, "z"),
                (5L, ChangeType.Deleted, "z"),
            }));
            Assert.That(firstLog.Changes.Select(change => change.WorkspaceId), Has.All.EqualTo(first));
            Assert.That(firstLog.LatestSequence, Is.EqualTo(5));
            Assert.That(firstLog.HistoryLost, Is.False);
            var secondLog = await Store.ReadChangesAsync(second, 0, 100, None);
            Assert.That(secondLog.Changes.Select(change => change.Sequence), Is.EqualTo(new long[] { 1, 2 }));
            Assert.That((await Store.ReadFileAsync(second, "1.txt", None))?.Sequence, Is.EqualTo(2), "the change that wrote this content");
        });
    }

    [Test]
    public async Task ChangesAreReadPageByPage()
    {
        var workspace = Guid.NewGuid();
        for (var index = 1; index <= 7; index++)
        {
            await WriteAsync(workspace, "paged.txt", $"{index}");
        }

        await Assert.MultipleAsync(async () =>
        {
            var log = await Store.ReadChangesAsync(workspace, 0, 100, None);
            var pages = new List<ChangePage>();
            for (long after = 0; after <= 9; after += 3)
            {
                pages.Add(await Store.ReadChangesAsync(workspace, after, 3, None));
            }

            Assert.That(pages.Select(page => page.Changes.Select(change => change.Sequence)), Is.EqualTo(new[]
            {
                new long[] { 1, 2, 3 }, [4, 5, 6], [7], [],
            }));
            Assert.That(pages.Select(page => page.LatestSequence), Has.All.EqualTo(7));
            Assert.That(pages.Select(page => page.HistoryLost), Has.All.False);
            Assert.That(pages.SelectMany(page => page.Changes), Is.EqualTo(log.Changes));
            Assert.That(log.Changes.Select(change => change.Version), Is.EqualTo(new long?[] { 1, 2, 3, 4, 5, 6, 7 }));
            Assert.That((await Store.ReadChangesAsync(workspace, 5, 1, None)).Changes.Single().Sequence, Is.EqualTo(6));
            // How a stream that starts from now learns where now is.
            var now = await Store.ReadChangesAsync(workspace, long.MaxValue, 1, None);
            Assert.That(now.Changes, Is.Empty);
            Assert.That(now.HistoryLost, Is.False);
            Assert.That(now.LatestSequence, Is.EqualTo(7));
            var empty = await Store.ReadChangesAsync(Guid.NewGuid(), 0, 10, None);
            Assert.That(empty.Changes, Is.Empty);
            Assert.That(empty.LatestSequence, Is.EqualTo(0));
            Assert.That(empty.HistoryLost, Is.False);
        });
    }

    [Test]
    public async Task ReadingPastATrimLosesHistory()
    {
        var workspace = Guid.NewGuid();
        await StartWithAnEmptyOutboxAsync();
        await WriteAsync(workspace, "a.txt", "1");
        await WriteAsync(workspace, "a.txt", "2");
        await WriteAsync(workspace, "a.txt", "3");
        await Store.MarkPublishedAsync((await Store.ReadChangesAsync(workspace, 0, 2, None)).Changes, None);
        harness.Clock.Advance(TimeSpan.FromSeconds(1));

        var trimmed = await Store.TrimChangesAsync(Now, None);
        await WriteAsync(workspace, "a.txt", "4");

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(trimmed, Is.EqualTo(2));
            var fromStart = await Store.ReadChangesAsync(workspace, 0, 10, None);
            Assert.That(fromStart.HistoryLost, Is.True);
            Assert.That(fromStart.LatestSequence, Is.EqualTo(4));
            var fromOne = await Store.ReadChangesAsync(workspace, 1, 10, None);
            Assert.That(fromOne.HistoryLost, Is.True, "change 2 is gone");
            var fromTwo = await Store.ReadChangesAsync(workspace, 2, 10, None);
            Assert.That(fromTwo.HistoryLost, Is.False);
            Assert.That(fromTwo.Changes.Select(change => change.Sequence), Is.EqualTo(new long[] { 3, 4 }));
            var caughtUp = await Store.ReadChangesAsync(workspace, 4, 10, None);
            Assert.That(caughtUp.HistoryLost, Is.False);
            Assert.That(caughtUp.Changes, Is.Empty);
        });
    }

    [Test]
    public async Task AFullyTrimmedLogStillKnowsItsLatestSequence()
    {
        var workspace = Guid.NewGuid();
        await StartWithAnEmptyOutboxAsync();
        await WriteAsync(workspace, "a.txt", "1");
        await WriteAsync(workspace, "a.txt", "2");
        await DrainOutboxAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.TrimChangesAsync(Now, None);

        await Assert.MultipleAsync(async () =>
        {
            var page = await Store.ReadChangesAsync(workspace, 1, 10, None);
            Assert.That(page.HistoryLost, Is.True);
            Assert.That(page.Changes, Is.Empty);
            Assert.That(page.LatestSequence, Is.EqualTo(2));
            Assert.That((await Store.ReadChangesAsync(workspace, 2, 10, None)).HistoryLost, Is.False);
            Assert.That((await WriteAsync(workspace, "a.txt", "3")).Change?.Sequence, Is.EqualTo(3), "numbering goes on after a trim");
        });
    }

    [Test]
    public async Task TheOutboxHandsOutUnpublishedChangesOldestFirst()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await StartWithAnEmptyOutboxAsync();

        await WriteAsync(first, "a.txt", "1");
        harness.Clock.Advance(TimeSpan.FromMilliseconds(5));
        await WriteAsync(second, "b.txt", "1");
        harness.Clock.Advance(TimeSpan.FromMilliseconds(5));
        await WriteAsync(first, "dir/c.txt", "1");

        var all = await Store.ReadUnpublishedChangesAsync(100, None);
        var firstTwo = await Store.ReadUnpublishedChangesAsync(2, None);
        await Store.MarkPublishedAsync(firstTwo, None);
        var rest = await Store.ReadUnpublishedChangesAsync(100, None);

        Assert.Multiple(() =>
        {
            Assert.That(all.Select(change => (change.WorkspaceId, change.Sequence, change.Path)), Is.EqualTo(new[]
            {
                (first, 1L, "a.txt"), (second, 1L, "b.txt"), (first, 2L, "dir"), (first, 3L, "dir/c.txt"),
            }));
            Assert.That(firstTwo, Is.EqualTo(all.Take(2)));
            Assert.That(rest, Is.EqualTo(all.Skip(2)));
            Assert.That(all[3], Is.EqualTo(new FileChange(first, 3, ChangeType.Created, EntryType.File, "dir/c.txt", null, 1, 1, Alice, Now)));
        });
    }

    [Test]
    public async Task TrimmingDropsOnlyPublishedChangesOlderThanTheCutOff()
    {
        var workspace = Guid.NewGuid();
        await StartWithAnEmptyOutboxAsync();

        await WriteAsync(workspace, "a.txt", "1");
        await WriteAsync(workspace, "a.txt", "2");
        await WriteAsync(workspace, "a.txt", "3");
        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        await WriteAsync(workspace, "a.txt", "4");
        await Store.MarkPublishedAsync([.. (await Store.ReadChangesAsync(workspace, 0, 10, None)).Changes.Where(change => change.Sequence != 2)], None);

        var trimmed = await Store.TrimChangesAsync(Now, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(trimmed, Is.EqualTo(2), "1 and 3; 2 is unpublished and 4 is not old enough");
            Assert.That((await Store.ReadChangesAsync(workspace, 0, 10, None)).HistoryLost, Is.True);
            // 2 is there but 3 is not: handing out 2 and 4 would skip 3 unnoticed.
            var overTheGap = await Store.ReadChangesAsync(workspace, 1, 10, None);
            Assert.That(overTheGap.HistoryLost, Is.True);
            Assert.That(overTheGap.LatestSequence, Is.EqualTo(4));
            Assert.That((await Store.ReadChangesAsync(workspace, 2, 10, None)).HistoryLost, Is.True);
            var afterTheGap = await Store.ReadChangesAsync(workspace, 3, 10, None);
            Assert.That(afterTheGap.HistoryLost, Is.False);
            Assert.That(afterTheGap.Changes.Select(change => change.Sequence), Is.EqualTo(new long[] { 4 }));
            Assert.That((await Store.ReadUnpublishedChangesAsync(10, None)).Select(change => (change.WorkspaceId, change.Sequence)), Is.EqualTo(new[] { (workspace, 2L) }));
            Assert.That(await Store.TrimChangesAsync(Now, None), Is.EqualTo(0));
        });
    }

    // ---- workspaces

    [Test]
    public async Task DeletingAWorkspaceRemovesEverythingItHeldAndNothingElse()
    {
        var doomed = Guid.NewGuid();
        var kept = Guid.NewGuid();
        foreach (var workspace in new[] { doomed, kept })
        {
            await WriteAsync(workspace, "src/main.c", "int main;");
            await WriteAsync(workspace, "src/main.c", "int main(void);");
            await WriteAsync(workspace, "gone.txt", "x");
            await Store.DeleteAsync(workspace, "gone.txt", null, Alice, None);
            await Store.CreateDirectoryAsync(workspace, "empty", Alice, None);
        }
        var keptTree = await Store.ListTreeAsync(kept, None);
        var keptLog = await Store.ReadChangesAsync(kept, 0, 100, None);

        await Store.DeleteWorkspaceAsync(doomed, None);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Store.ListTreeAsync(doomed, None), Is.Empty);
            Assert.That(await ReadAllAsync(doomed), Is.Empty);
            Assert.That(await Store.ReadFileAsync(doomed, "src/main.c", None), Is.Null);
            Assert.That(await Store.GetUsageAsync(doomed, None), Is.EqualTo(new WorkspaceUsage(0, 0)));
            var log = await Store.ReadChangesAsync(doomed, 0, 100, None);
            Assert.That(log.Changes, Is.Empty);
            Assert.That(log.LatestSequence, Is.EqualTo(0));
            Assert.That(log.HistoryLost, Is.False);
            Assert.That((await Store.ReadUnpublishedChangesAsync(10_000, None)).Where(change => change.WorkspaceId == doomed), Is.Empty);

            Assert.That(await Store.ListTreeAsync(kept, None), Is.EqualTo(keptTree));
            Assert.That((await Store.ReadChangesAsync(kept, 0, 100, None)).Changes, Is.EqualTo(keptLog.Changes));
            Assert.That((await Store.ReadFileAsync(kept, "src/main.c", None))?.Content, Is.EqualTo(Text("int main(void);")));
        });
        await Store.DeleteWorkspaceAsync(Guid.NewGuid(), None);
    }

    [Test]
    public async Task ADeletedWorkspaceTakesNoMoreChanges()
    {
        var doomed = Guid.NewGuid();
        await WriteAsync(doomed, "src/main.c", "int main;");
        await Store.DeleteWorkspaceAsync(doomed, None);

        // Writes that were let in just before the deletion was heard must not leave files behind.
        FileMutation[] late =
        [
            await WriteAsync(doomed, "late.txt", "too late"),
            await Store.CreateDirectoryAsync(doomed, "dir", Alice, None),
            await Store.DeleteAsync(doomed, "src", null, Alice, None),
            await Store.MoveAsync(doomed, "src", "lib", overwrite: false, Alice, None),
        ];

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(late.Select(mutation => mutation.Status), Is.All.EqualTo(MutationStatus.NotFound));
            Assert.That(late.SelectMany(mutation => mutation.Changes), Is.Empty);
            Assert.That(await Store.ListTreeAsync(doomed, None), Is.Empty);
            Assert.That(await Store.GetUsageAsync(doomed, None), Is.EqualTo(new WorkspaceUsage(0, 0)));
            Assert.That((await Store.ReadChangesAsync(doomed, 0, 100, None)).Changes, Is.Empty);
        });
        Assert.DoesNotThrowAsync(() => Store.DeleteWorkspaceAsync(doomed, None), "deleting twice");
    }

    [Test]
    public async Task AllFilesAreReadInOrdinalPathOrder()
    {
        var workspace = Guid.NewGuid();
        // Byte order of the UTF-8 path: upper before lower case, '-' and '.' before '/', and
        // U+FF5E before an emoji (UTF-16 code units would order those two the other way).
        string[] paths = ["b.txt", "a/z.txt", "a/b/c.txt", "a-b.txt", "a.txt", "A.txt", "é.txt", "\uFF5E.txt", "\U0001F600.txt", "a b.txt", "_.txt", "10.txt", "9.txt"];
        foreach (var path in paths)
        {
            await WriteAsync(workspace, path, $"content of {path}");
        }
        await Store.CreateDirectoryAsync(workspace, "a/empty", Alice, None);

        var files = await ReadAllAsync(workspace);
        var tree = await Store.ListTreeAsync(workspace, None);

        var expected = paths.OrderBy(path => Encoding.UTF8.GetBytes(path), Utf8Order.Instance).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(files.Select(file => file.Path), Is.EqualTo(expected));
            Assert.That(files.Select(file => file.Content), Is.EqualTo(expected.Select(path => Text($"content of {path}"))));
            Assert.That(files.Select(file => file.Version), Has.All.EqualTo(1));
            Assert.That(tree.Select(entry => entry.Path), Is.EqualTo(tree.Select(entry => entry.Path).OrderBy(path => Encoding.UTF8.GetBytes(path), Utf8Order.Instance)));
            Assert.That(tree.Where(entry => entry.Type == EntryType.Directory).Select(entry => entry.Path), Is.EqualTo(new[] { "a", "a/b", "a/empty" }));
        });
    }

    [Test]
    public async Task WorkspacesAreIsolatedFromEachOther()
    {
        var left = Guid.NewGuid();
        var right = Guid.NewGuid();

        await WriteAsync(left, "shared/name.txt", "left 1");
        await WriteAsync(left, "shared/name.txt", "left 2");
        var rightCreated = await WriteAsync(right, "shared/name.txt", "right 1");
        await Store.DeleteAsync(left, "shared", null, Alice, None);
        await Store.CreateDirectoryAsync(left, "only-left", Alice, None);
        await WriteAsync(right, "shared/name.txt", "right 2", WriteCondition.AtVersion(1));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(rightCreated.Changes.Select(change => (change.Sequence, change.Version)), Is.EqualTo(new[] { (1L, (long?)null), (2L, (long?)1) }));
            Assert.That(await Store.ReadFileAsync(left, "shared/name.txt", None), Is.Null);
            var right2 = await Store.ReadFileAsync(right, "shared/name.txt", None);
            Assert.That(right2?.Content, Is.EqualTo(Text("right 2")));
            Assert.That(right2?.Version, Is.EqualTo(2));
            Assert.That((await Store.ListTreeAsync(right, None)).Select(entry => entry.Path), Is.EqualTo(new[] { "shared", "shared/name.txt" }));
            Assert.That((await Store.ListTreeAsync(left, None)).Select(entry => entry.Path), Is.EqualTo(new[] { "only-left" }));
            Assert.That(await Store.GetUsageAsync(left, None), Is.EqualTo(new WorkspaceUsage(0, 1)));
            Assert.That(await Store.GetUsageAsync(right, None), Is.EqualTo(new WorkspaceUsage(7, 2)));
            Assert.That((await Store.ReadChangesAsync(left, 0, 100, None)).LatestSequence, Is.EqualTo(5));
            Assert.That((await Store.ReadChangesAsync(right, 0, 100, None)).LatestSequence, Is.EqualTo(3));
        });
        // The left workspace's history of the path does not reach the right one.
        Assert.That((await WriteAsync(left, "shared/name.txt", "left 3")).Change?.Version, Is.EqualTo(3));
    }

    // ---- helpers

    /// <summary>A fresh workspace that <paramref name="owner"/> owns from now on, as identity's WorkspaceCreated says.</summary>
    private async Task<Guid> OwnedWorkspaceAsync(Guid owner)
    {
        var workspace = Guid.NewGuid();
        await Store.AddOwnerAsync(workspace, owner, Now, None);
        return workspace;
    }

    /// <summary>Writes files of at most the file limit until the workspace holds <paramref name="bytes"/> more.</summary>
    private async Task FillAsync(Guid workspaceId, long bytes)
    {
        for (var index = 0; bytes > 0; index++)
        {
            var size = Math.Min(bytes, FileStoreHarness.Limits.MaxFileBytes);
            var written = await WriteBytesAsync(workspaceId, $"f{index}.bin", size);
            Assert.That(written.Status, Is.EqualTo(MutationStatus.Done), written.Detail);
            bytes -= size;
        }
    }

    private Task<FileMutation> WriteAsync(Guid workspaceId, string path, string content, WriteCondition? condition = null, Guid? user = null) =>
        Store.WriteFileAsync(Write(workspaceId, path, content, condition, user), None);

    private Task<FileMutation> WriteBytesAsync(Guid workspaceId, string path, long size) =>
        Store.WriteFileAsync(WriteOfBytes(workspaceId, path, size), None);

    private static FileWrite Write(Guid workspaceId, string path, string content, WriteCondition? condition = null, Guid? user = null) =>
        new(workspaceId, path, Text(content), condition ?? WriteCondition.None, user ?? Alice);

    private static FileWrite WriteOfBytes(Guid workspaceId, string path, long size) =>
        new(workspaceId, path, Enumerable.Repeat((byte)'z', (int)size).ToArray(), WriteCondition.None, Alice);

    private async Task<List<StoredFile>> ReadAllAsync(Guid workspaceId)
    {
        var files = new List<StoredFile>();
        await foreach (var file in Store.ReadAllFilesAsync(workspaceId, None))
        {
            files.Add(file);
        }
        return files;
    }

    /// <summary>Publishes and trims whatever earlier tests logged, so the outbox and the trims see only this test's changes.</summary>
    private async Task StartWithAnEmptyOutboxAsync()
    {
        await DrainOutboxAsync();
        // Earlier tests ran at least an hour ago on the store's clock.
        await Store.TrimChangesAsync(Now, None);
    }

    private async Task DrainOutboxAsync()
    {
        while (await Store.ReadUnpublishedChangesAsync(500, None) is { Count: > 0 } changes)
        {
            await Store.MarkPublishedAsync(changes, None);
        }
    }

    /// <summary>
    /// Runs a change that must be refused with <paramref name="expected"/>, and checks that it
    /// changed nothing at all: not the files, not the tree, not the usage, not the log.
    /// </summary>
    private async Task AssertRefusedAsync(Guid workspaceId, MutationStatus expected, Func<Task<FileMutation>> change)
    {
        var before = await SnapshotAsync(workspaceId);

        var mutation = await change();

        var after = await SnapshotAsync(workspaceId);
        Assert.Multiple(() =>
        {
            Assert.That(mutation.Status, Is.EqualTo(expected), mutation.Detail);
            Assert.That(mutation.Changes, Is.Empty);
            Assert.That(mutation.StaleFiles, Is.Empty);
            Assert.That(mutation.Detail, Is.Not.Null.And.Not.Empty, "a refusal says why");
            Assert.That(after.Usage, Is.EqualTo(before.Usage));
            Assert.That(after.Tree, Is.EqualTo(before.Tree));
            Assert.That(after.Files, Is.EqualTo(before.Files));
            Assert.That(after.Changes, Is.EqualTo(before.Changes));
            Assert.That(after.LatestSequence, Is.EqualTo(before.LatestSequence));
        });
    }

    private async Task<Snapshot> SnapshotAsync(Guid workspaceId)
    {
        var log = await Store.ReadChangesAsync(workspaceId, 0, 10_000, None);
        var files = (await ReadAllAsync(workspaceId))
            .Select(file => (file.Path, Convert.ToHexString(file.Content), file.Version, file.Sequence))
            .ToList();
        return new Snapshot(await Store.GetUsageAsync(workspaceId, None), await Store.ListTreeAsync(workspaceId, None), files, log.Changes, log.LatestSequence);
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private sealed record Snapshot(
        WorkspaceUsage Usage,
        IReadOnlyList<TreeEntry> Tree,
        IReadOnlyList<(string Path, string Content, long Version, long Sequence)> Files,
        IReadOnlyList<FileChange> Changes,
        long LatestSequence);

    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
