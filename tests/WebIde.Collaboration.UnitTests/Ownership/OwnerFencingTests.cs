using System.Net.WebSockets;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Storage;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Ownership;

/// <summary>One owner per document: a claim fences the previous owner, whose appends Redis refuses from then on.</summary>
public sealed class OwnerFencingTests : RedisFixture
{
    [Test]
    public async Task RedisRefusesTheAppendOfAnOwnerThatWasClaimedFrom()
    {
        var store = new DocumentStore(Redis.Connection, TestKeys.Cipher);
        var key = NewKey();
        await CollaborationInstance.CreateAsync(store, key, "abc");
        var first = await store.ClaimAsync(key, "instance-a");
        var second = await store.ClaimAsync(key, "instance-b");
        var entry = new LogEntry(1, Ops.Insert(3, 0, "x"), "c1", "op-1", Guid.NewGuid(), 1);

        var stale = DocumentStore.ReadAppendResult(await store.AppendAll([new CommitBatch(key, first!.Epoch, 1, [entry])], 1)[0]);
        var afterStale = await store.ClaimAsync(key, "instance-c");
        var current = DocumentStore.ReadAppendResult(await store.AppendAll([new CommitBatch(key, afterStale!.Epoch, 1, [entry])], 1)[0]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second!.Epoch, Is.GreaterThan(first.Epoch));
            Assert.That(stale.Outcome, Is.EqualTo(AppendOutcome.Fenced));
            Assert.That(afterStale.Stored.Revision, Is.Zero, "the stale owner's operation is not in Redis");
            Assert.That(afterStale.Stored.Entries, Is.Empty);
            Assert.That(current, Is.EqualTo(new AppendResult(AppendOutcome.Appended, 1)), "the newest owner appends");
        }
    }

    [Test]
    public async Task ATakeoverFencesTheOldOwnerWhichDropsWhatItHadNotCommittedAndClosesItsEditors()
    {
        var key = NewKey();
        await using var a = new CollaborationInstance(Redis.Connection, startCommitting: false);
        await using var b = new CollaborationInstance(Redis.Connection);
        await CollaborationInstance.CreateAsync(a.Store, key, "abc");
        var (ana, onA) = await a.JoinAsync(key);
        await ana.NextAsync("joined");

        // Sequenced on A, not yet in Redis, when B takes the document over.
        onA.Submit(ana, Op(key, 0, "ana-1", Ops.Insert(3, 0, "A")));
        var (bob, onB) = await b.JoinAsync(key);
        var joined = await bob.NextAsync("joined");
        a.StartCommitting();
        await Poll.UntilAsync(() => ana.CloseReason is not null, "A closes its editor's connection");
        onB.Submit(bob, Op(key, 0, "bob-1", Ops.Insert(3, 3, "B")));
        var ack = await bob.NextAsync("ack");

        var reloaded = await new DocumentStore(Redis.Connection, TestKeys.Cipher).ClaimAsync(key, "reader");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(joined.GetProperty("content").GetString(), Is.EqualTo("abc"), "B starts from what Redis has");
            Assert.That(ana.CloseReason!.Value.Code, Is.EqualTo((int)WebSocketCloseStatus.EndpointUnavailable), "a close that tells the client to reconnect");
            Assert.That(ana.Drain().Select(frame => frame.GetProperty("type").GetString()), Has.None.EqualTo("ack"), "A acked nothing it could not store");
            Assert.That(onA.IsServing, Is.False);
            Assert.That(a.Hub.TryGet(key, out _), Is.False, "A let go of the document");
            Assert.That(ack.GetProperty("revision").GetInt64(), Is.EqualTo(1));
            Assert.That(reloaded!.Stored.TextAt(reloaded.Stored.Revision), Is.EqualTo("abcB"), "only the owner's operation is stored");
        }
    }

    [Test]
    public async Task TheOldOwnerHearsOfTheClaimWithoutAppendingAnything()
    {
        var key = NewKey();
        await using var a = new CollaborationInstance(Redis.Connection);
        await using var b = new CollaborationInstance(Redis.Connection);
        await CollaborationInstance.CreateAsync(a.Store, key, "abc");
        var (ana, _) = await a.JoinAsync(key);

        await b.JoinAsync(key);

        await Poll.UntilAsync(() => ana.CloseReason is not null, "the claim notice closes A's editors");
        await Poll.UntilAsync(() => !a.Hub.TryGet(key, out _), "A lets go of the document");
    }

    [Test]
    public async Task AnOwnerThatDiedIsTakenOverAtOnce()
    {
        var key = NewKey();
        await using var dead = new CollaborationInstance(Redis.Connection);
        await CollaborationInstance.CreateAsync(dead.Store, key, "abc");
        var (ana, onDead) = await dead.JoinAsync(key);
        onDead.Submit(ana, Op(key, 0, "ana-1", Ops.Insert(3, 0, "A")));
        await ana.NextAsync("ack");
        // Its process is gone: no goodbye, its liveness would lapse only later.
        await Redis.Connection.GetSubscriber().UnsubscribeAllAsync();

        await using var b = new CollaborationInstance(Redis.Connection);
        var (bob, onB) = await b.JoinAsync(key);
        var joined = await bob.NextAsync("joined", within: InstanceLivenessBound);
        onB.Submit(bob, Op(key, 1, "bob-1", Ops.Insert(4, 4, "B")));
        var ack = await bob.NextAsync("ack", within: InstanceLivenessBound);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(joined.GetProperty("content").GetString(), Is.EqualTo("Aabc"), "the acked operation survived its owner");
            Assert.That(ack.GetProperty("revision").GetInt64(), Is.EqualTo(2));
        }
    }

    /// <summary>Shorter than an instance's liveness: the takeover does not wait for it to lapse.</summary>
    private static readonly TimeSpan InstanceLivenessBound = Presence.InstanceLiveness.Lifetime / 2;
}
