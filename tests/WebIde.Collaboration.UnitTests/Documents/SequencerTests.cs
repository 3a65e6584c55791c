using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Documents;

/// <summary>The in-process sequencer: transforms, numbers and applies operations; refuses what does not fit, changing nothing.</summary>
public sealed class SequencerTests : RedisFixture
{
    [Test]
    public async Task ConcurrentOperationsAreTransformedAndEveryoneEndsWithTheSameText()
    {
        await using var instance = new CollaborationInstance(Redis.Connection);
        var key = NewKey();
        await CollaborationInstance.CreateAsync(instance.Store, key, "abc");
        var (ana, document) = await instance.JoinAsync(key);
        var (bob, _) = await instance.JoinAsync(key);

        // Both typed at revision 0, unaware of each other.
        document.Submit(ana, Op(key, 0, "ana-1", Ops.Insert(3, 0, "A")));
        document.Submit(bob, Op(key, 0, "bob-1", Ops.Insert(3, 3, "B")));
        var anaHears = await ana.NextAsync("op");
        var bobHears = await bob.NextAsync("op");
        var (carl, _) = await instance.JoinAsync(key);
        var joined = await carl.NextAsync("joined");
        var stored = (await new DocumentStore(Redis.Connection, TestKeys.Cipher).ClaimAsync(key, "reader"))!.Stored;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bobHears.GetProperty("op").GetRawText(), Is.EqualTo("[\"A\",3]"));
            Assert.That(anaHears.GetProperty("op").GetRawText(), Is.EqualTo("[4,\"B\"]"), "transformed past ana's insert");
            Assert.That(anaHears.GetProperty("revision").GetInt64(), Is.EqualTo(2));
            Assert.That(joined.GetProperty("content").GetString(), Is.EqualTo("AabcB"));
            Assert.That(stored.TextAt(stored.Revision), Is.EqualTo("AabcB"), "Redis has the same");
        }
    }

    [Test]
    public async Task AResentOperationIsAckedWithItsFirstRevisionAndAppliedOnce()
    {
        await using var instance = new CollaborationInstance(Redis.Connection);
        var key = NewKey();
        await CollaborationInstance.CreateAsync(instance.Store, key, "abc");
        var (ana, document) = await instance.JoinAsync(key);
        var userId = ana.UserId;
        document.Submit(ana, Op(key, 0, "ana-1", Ops.Insert(3, 0, "A")));
        await ana.NextAsync("ack");

        // The same user on a new connection (after a reconnect) sends it again.
        var (again, resumed) = await instance.JoinAsync(key, userId);
        resumed.Submit(again, Op(key, 0, "ana-1", Ops.Insert(3, 0, "A")));
        var ack = await again.NextAsync("ack");
        var stored = (await new DocumentStore(Redis.Connection, TestKeys.Cipher).ClaimAsync(key, "reader"))!.Stored;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ack.GetProperty("revision").GetInt64(), Is.EqualTo(1));
            Assert.That(stored.Revision, Is.EqualTo(1));
            Assert.That(stored.TextAt(1), Is.EqualTo("Aabc"));
        }
    }

    [Test]
    public async Task OperationsThatDoNotFitAreRefusedAndChangeNothing()
    {
        await using var instance = new CollaborationInstance(Redis.Connection);
        var key = NewKey();
        await CollaborationInstance.CreateAsync(instance.Store, key, "abc");
        var (ana, document) = await instance.JoinAsync(key);

        var wrongLength = Assert.Throws<ProtocolException>(() => document.Submit(ana, Op(key, 0, "x1", Ops.Insert(5, 0, "A"))));
        var future = Assert.Throws<ProtocolException>(() => document.Submit(ana, Op(key, 7, "x2", Ops.Insert(3, 0, "A"))));
        var (bob, _) = await instance.JoinAsync(key);
        var joined = await bob.NextAsync("joined");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(wrongLength!.Code, Is.EqualTo(ErrorCodes.InvalidOp));
            Assert.That(future!.Code, Is.EqualTo(ErrorCodes.UnknownRevision));
            Assert.That(joined.GetProperty("revision").GetInt64(), Is.Zero);
            Assert.That(joined.GetProperty("content").GetString(), Is.EqualTo("abc"));
        }
    }
}
