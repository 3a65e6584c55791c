using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using WebIde.FileSystem.Files;
using WebIde.FileSystem.Storage;
using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests.Files;

/// <summary>The cache's ordering rule, against a real redis-server.</summary>
public sealed class FileCacheTests
{
    private LocalRedis _redis = null!;
    private FileCache _cache = null!;

    [OneTimeSetUp]
    public async Task StartRedisAsync()
    {
        _redis = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed here.");
        _cache = new FileCache(_redis.Connection, FileSystemInstance.Cipher, NullLogger<FileCache>.Instance);
    }

    [OneTimeTearDown]
    public async Task StopRedisAsync() => await _redis.DisposeAsync();

    private static StoredFile File(string path, string text, long version, long sequence) =>
        new(path, System.Text.Encoding.UTF8.GetBytes(text), version, new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), sequence);

    private async Task<string> GenerationSeenByAReaderAsync(Guid workspace, string path)
    {
        var (_, generation) = await _cache.GetAsync(workspace, path);
        return generation ?? throw new InvalidOperationException("Redis did not answer.");
    }

    [Test]
    public async Task AWrittenFileIsServedWithItsVersionAndBytes()
    {
        var workspace = Guid.NewGuid();
        var file = File("a.txt", "hello", 3, 7);

        await _cache.StoreWrittenAsync(workspace, file);
        var (cached, _) = await _cache.GetAsync(workspace, "a.txt");

        Assert.Multiple(() =>
        {
            Assert.That(cached, Is.Not.Null);
            Assert.That(cached!.Content, Is.EqualTo(file.Content));
            Assert.That(cached.Version, Is.EqualTo(3));
            Assert.That(cached.Sequence, Is.EqualTo(7));
            Assert.That(cached.ModifiedAt, Is.EqualTo(file.ModifiedAt));
        });
    }

    [Test]
    public async Task ContentIsSealedInRedisWhichPersistsIt()
    {
        var workspace = Guid.NewGuid();
        var marker = $"cached-marker-{Guid.NewGuid():N}";

        await _cache.StoreWrittenAsync(workspace, File("a.txt", marker, 1, 1));

        byte[] held = (await _redis.Connection.GetDatabase().HashGetAsync(FileCache.Key(workspace, "a.txt"), "c"))!;
        Assert.That(System.Text.Encoding.UTF8.GetString(held), Does.Not.Contain(marker));
        Assert.That((await _cache.GetAsync(workspace, "a.txt")).File!.Content, Is.EqualTo(System.Text.Encoding.UTF8.GetBytes(marker)));
    }

    [Test]
    public async Task AnEntryChangedInRedisOrLeftFromBeforeEncryptionIsAMiss()
    {
        var workspace = Guid.NewGuid();
        await _cache.StoreWrittenAsync(workspace, File("a.txt", "sealed", 1, 1));
        await _cache.StoreWrittenAsync(workspace, File("b.txt", "sealed", 1, 2));
        var database = _redis.Connection.GetDatabase();
        byte[] held = (await database.HashGetAsync(FileCache.Key(workspace, "a.txt"), "c"))!;
        held[^1] ^= 0x01;
        await database.HashSetAsync(FileCache.Key(workspace, "a.txt"), "c", held);
        await database.HashSetAsync(FileCache.Key(workspace, "b.txt"), "c", "plaintext someone put there");

        var (tampered, generation) = await _cache.GetAsync(workspace, "a.txt");
        var (plain, _) = await _cache.GetAsync(workspace, "b.txt");

        Assert.That(tampered, Is.Null);
        Assert.That(plain, Is.Null);
        Assert.That(generation, Is.Not.Null, "a miss the reader may fill from the store");
    }

    [Test]
    public async Task AReadersFillIsKeptWhenNoWriterCameInBetween()
    {
        var workspace = Guid.NewGuid();
        var generation = await GenerationSeenByAReaderAsync(workspace, "a.txt");

        await _cache.OfferReadAsync(workspace, File("a.txt", "from the store", 4, 8), generation);

        Assert.That((await _cache.GetAsync(workspace, "a.txt")).File?.Version, Is.EqualTo(4));
    }

    [Test]
    public async Task AReaderThatReadBeforeAWriteCannotOverwriteTheWritersContent()
    {
        var workspace = Guid.NewGuid();
        var generation = await GenerationSeenByAReaderAsync(workspace, "a.txt");
        await _cache.StoreWrittenAsync(workspace, File("a.txt", "new", 2, 10));

        await _cache.OfferReadAsync(workspace, File("a.txt", "old", 1, 9), generation);

        Assert.That((await _cache.GetAsync(workspace, "a.txt")).File?.Version, Is.EqualTo(2));
    }

    [Test]
    public async Task AReaderThatReadBeforeAWriteCannotFillTheEntryEvenAfterItWasEvicted()
    {
        var workspace = Guid.NewGuid();
        var generation = await GenerationSeenByAReaderAsync(workspace, "a.txt");
        await _cache.StoreWrittenAsync(workspace, File("a.txt", "new", 2, 10));
        await _redis.Connection.GetDatabase().KeyDeleteAsync(FileCache.Key(workspace, "a.txt"));

        await _cache.OfferReadAsync(workspace, File("a.txt", "old", 1, 9), generation);

        Assert.That((await _cache.GetAsync(workspace, "a.txt")).File, Is.Null);
    }

    [Test]
    public async Task AStaleMarkHidesTheFileAndRefusesOlderContentButNotTheChangesOwnResult()
    {
        var workspace = Guid.NewGuid();
        await _cache.StoreWrittenAsync(workspace, File("a.txt", "before the move", 1, 4));

        await _cache.MarkStaleAsync(workspace, ["a.txt"], 5);
        var (afterMark, generation) = await _cache.GetAsync(workspace, "a.txt");
        await _cache.OfferReadAsync(workspace, File("a.txt", "read before the move", 1, 4), generation!);
        var (afterStaleOffer, _) = await _cache.GetAsync(workspace, "a.txt");
        await _cache.OfferReadAsync(workspace, File("a.txt", "what change 5 left", 2, 5), generation!);
        var (afterFreshOffer, _) = await _cache.GetAsync(workspace, "a.txt");

        Assert.Multiple(() =>
        {
            Assert.That(afterMark, Is.Null, "a tombstone reads as a miss");
            Assert.That(afterStaleOffer, Is.Null, "content from before the change stays out");
            Assert.That(afterFreshOffer?.Version, Is.EqualTo(2), "the store's state at the change itself is let in");
        });
    }

    [Test]
    public async Task TheSameSequenceCannotReplaceContent()
    {
        var workspace = Guid.NewGuid();
        await _cache.StoreWrittenAsync(workspace, File("a.txt", "first", 1, 3));
        var generation = await GenerationSeenByAReaderAsync(workspace, "a.txt");

        await _cache.OfferReadAsync(workspace, File("a.txt", "other", 9, 3), generation);

        Assert.That((await _cache.GetAsync(workspace, "a.txt")).File?.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task FilesOverTheCachedSizeAreNotKeptAndHideOlderCopies()
    {
        var workspace = Guid.NewGuid();
        await _cache.StoreWrittenAsync(workspace, File("big.bin", "small once", 1, 1));

        await _cache.StoreWrittenAsync(workspace, new StoredFile("big.bin", new byte[FileCache.MaxCachedBytes + 1], 2, DateTimeOffset.UtcNow, 2));

        Assert.That((await _cache.GetAsync(workspace, "big.bin")).File, Is.Null);
    }

    [Test]
    public async Task EntriesExpire()
    {
        var workspace = Guid.NewGuid();
        await _cache.StoreWrittenAsync(workspace, File("a.txt", "x", 1, 1));

        var lifetime = await _redis.Connection.GetDatabase().KeyTimeToLiveAsync(FileCache.Key(workspace, "a.txt"));

        Assert.That(lifetime, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(FileCache.EntryLifetime));
    }

    [Test]
    public async Task WithRedisUnreachableReadsMissAndUpdatesDoNotThrow()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{LocalRedis.FreePort()},abortConnect=false,connectTimeout=200,asyncTimeout=500");
        // Fail at once rather than wait in the backlog for a reconnection that never comes.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync(options);
        var cache = new FileCache(unreachable, FileSystemInstance.Cipher, NullLogger<FileCache>.Instance);
        var workspace = Guid.NewGuid();

        Assert.That(await cache.GetAsync(workspace, "a.txt"), Is.EqualTo(((StoredFile?)null, (string?)null)));
        Assert.DoesNotThrowAsync(() => cache.StoreWrittenAsync(workspace, File("a.txt", "x", 1, 1)));
        Assert.DoesNotThrowAsync(() => cache.MarkStaleAsync(workspace, ["a.txt"], 2));
    }
}
