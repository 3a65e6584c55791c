using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Storage;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Storage;

/// <summary>
/// What Redis holds of a document (and so writes to disk) is sealed: its text and its
/// operations (docs/api.md §7). What an earlier version stored in the clear is still read.
/// </summary>
public sealed class DocumentStoreEncryptionTests : RedisFixture
{
    private DocumentStore Store => new(Redis.Connection, TestKeys.Cipher);

    private IDatabase Database => Redis.Connection.GetDatabase();

    [Test]
    public async Task TheTextAndTheOperationsAreSealedInRedisAndComeBackAsTheyWere()
    {
        var key = NewKey();
        var textMarker = Marker("text");
        var opMarker = Marker("op");
        await CollaborationInstance.CreateAsync(Store, key, textMarker);
        var owner = await Store.ClaimAsync(key, "instance-a");
        var entry = new LogEntry(1, Ops.Insert(textMarker.Length, 0, opMarker), "c1", "op-1", Guid.NewGuid(), 1);
        var appended = DocumentStore.ReadAppendResult(await Store.AppendAll([new CommitBatch(key, owner!.Epoch, 1, [entry])], 1)[0]);

        var held = await EverythingRedisHoldsOfAsync(key);
        var reloaded = (await Store.ClaimAsync(key, "instance-b"))!.Stored;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(appended.Outcome, Is.EqualTo(AppendOutcome.Appended));
            Assert.That(held, Does.Not.Contain(textMarker).And.Not.Contain(opMarker));
            Assert.That(reloaded.BaseText, Is.EqualTo(textMarker));
            Assert.That(reloaded.Entries.Single().OpJson, Is.EqualTo(entry.OpJson));
            Assert.That(reloaded.TextAt(1), Is.EqualTo(opMarker + textMarker));
        }
    }

    [Test]
    public async Task AFreshBaseTextAfterATrimIsSealedToo()
    {
        var key = NewKey();
        await CollaborationInstance.CreateAsync(Store, key, "abc");
        var owner = await Store.ClaimAsync(key, "instance-a");
        var trimmedText = Marker("trimmed");

        Assert.That(await Store.TrimAsync(key, owner!.Epoch, 0, 0, trimmedText), Is.True);

        Assert.That(await EverythingRedisHoldsOfAsync(key), Does.Not.Contain(trimmedText));
        Assert.That((await Store.ClaimAsync(key, "instance-b"))!.Stored.BaseText, Is.EqualTo(trimmedText));
    }

    [Test]
    public async Task StateAnEarlierVersionStoredInTheClearIsRead()
    {
        var key = NewKey();
        var entry = new LogEntry(1, Ops.Insert(3, 3, "d"), "c1", "op-1", Guid.NewGuid(), 1);
        // As the version before encryption at rest wrote a document.
        await Database.HashSetAsync(Meta(key), [new("revision", 1), new("base", 0), new("text", JsonText.Quote("abc")), new("fileVersion", 1), new("fileRevision", 0), new("epoch", 0)]);
        await Database.StreamAddAsync(Log(key), "e", entry.ToJson(), "1-1");

        var stored = (await Store.ClaimAsync(key, "instance-a"))!.Stored;

        Assert.That(stored.TextAt(1), Is.EqualTo("abcd"));
    }

    [Test]
    public async Task AnOperationChangedInRedisIsRefusedRatherThanApplied()
    {
        var key = NewKey();
        var sealedEntry = await AppendOneOperationAsync(key);
        sealedEntry[^1] ^= 0x01;
        await Database.KeyDeleteAsync(Log(key));
        await Database.StreamAddAsync(Log(key), "e", sealedEntry, "1-1");

        Assert.That(() => Store.ClaimAsync(key, "instance-b"), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public async Task ASealedOperationCannotBePassedOffAsTheText()
    {
        var key = NewKey();
        var sealedEntry = await AppendOneOperationAsync(key);
        await Database.HashSetAsync(Meta(key), "text", sealedEntry);

        Assert.That(() => Store.ClaimAsync(key, "instance-b"), Throws.InstanceOf<CryptographicException>().With.Message.Contains("collaboration/text"));
    }

    /// <summary>Every value of the document's hash and stream, as bytes read as UTF-8: what Redis would write to disk.</summary>
    private async Task<string> EverythingRedisHoldsOfAsync(DocumentKey key)
    {
        var text = new StringBuilder();
        foreach (var field in await Database.HashGetAllAsync(Meta(key)))
        {
            text.Append(Encoding.UTF8.GetString((byte[])field.Value!)).Append('\n');
        }
        foreach (var entry in await Database.StreamRangeAsync(Log(key)))
        {
            foreach (var value in entry.Values)
            {
                text.Append(Encoding.UTF8.GetString((byte[])value.Value!)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Marker(string what) => $"{what}-marker-{Guid.NewGuid():N}";

    // The keys DocumentStore keeps a document under.
    private static RedisKey Meta(DocumentKey key) => $"collab:{{{key.Id}}}:meta";

    private static RedisKey Log(DocumentKey key) => $"collab:{{{key.Id}}}:log";

    /// <summary>A document "abc" claimed by one instance with one operation appended; the operation as Redis holds it.</summary>
    private async Task<byte[]> AppendOneOperationAsync(DocumentKey key)
    {
        await CollaborationInstance.CreateAsync(Store, key, "abc");
        var owner = await Store.ClaimAsync(key, "instance-a");
        var entry = new LogEntry(1, Ops.Insert(3, 0, "x"), "c1", "op-1", Guid.NewGuid(), 1);
        await Store.AppendAll([new CommitBatch(key, owner!.Epoch, 1, [entry])], 1)[0];
        return (byte[])(await Database.StreamRangeAsync(Log(key))).Single()["e"]!;
    }
}
