using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Documents;

/// <summary>The group committer: every document's waiting operations in one Redis round trip, acked and passed on only after it.</summary>
public sealed class GroupCommitTests : RedisFixture
{
    [Test]
    public async Task OperationsOfSeveralDocumentsGoToRedisInOneRound()
    {
        using var rounds = new CommitRounds();
        await using var instance = new CollaborationInstance(Redis.Connection, startCommitting: false);
        var keys = Enumerable.Range(0, 3).Select(_ => NewKey()).ToList();
        var editors = new List<CollabConnection>();
        foreach (var key in keys)
        {
            await CollaborationInstance.CreateAsync(instance.Store, key, "abc");
            var (editor, document) = await instance.JoinAsync(key);
            await editor.NextAsync("joined");
            document.Submit(editor, Op(key, 0, "op-1", Ops.Insert(3, 0, "x")));
            document.Submit(editor, Op(key, 1, "op-2", Ops.Insert(4, 0, "y")));
            editors.Add(editor);
        }
        var ackedBefore = editors.Sum(editor => editor.Drain().Count(frame => frame.GetProperty("type").GetString() == "ack"));

        instance.StartCommitting();
        foreach (var editor in editors)
        {
            await editor.NextAsync("ack");
            await editor.NextAsync("ack");
        }
        // The round is recorded once its acks are out.
        await Poll.UntilAsync(() => rounds.Operations.Length > 0, "the round is recorded");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ackedBefore, Is.Zero, "nothing is acked before Redis has it");
            Assert.That(rounds.Documents, Is.EqualTo(new[] { 3 }), "one round for the three documents");
            Assert.That(rounds.Operations, Is.EqualTo(new[] { 6 }), "with every waiting operation");
            foreach (var key in keys)
            {
                var stored = (await new DocumentStore(Redis.Connection, TestKeys.Cipher).ClaimAsync(key, "reader"))!.Stored;
                Assert.That(stored.TextAt(stored.Revision), Is.EqualTo("yxabc"), key.Id);
            }
        }
    }

    [Test]
    public async Task APeerHearsAnOperationOnlyOnceRedisHasIt()
    {
        await using var instance = new CollaborationInstance(Redis.Connection, startCommitting: false);
        var key = NewKey();
        await CollaborationInstance.CreateAsync(instance.Store, key, "abc");
        var (ana, document) = await instance.JoinAsync(key);
        var (bob, _) = await instance.JoinAsync(key);
        ana.Drain();
        bob.Drain();

        document.Submit(ana, Op(key, 0, "ana-1", Ops.Insert(3, 1, "A")));
        var heardBefore = bob.Drain();
        var storedBefore = (await instance.Store.OwnerAsync(key))!;
        instance.StartCommitting();
        var op = await bob.NextAsync("op");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(heardBefore, Is.Empty);
            Assert.That(op.GetProperty("revision").GetInt64(), Is.EqualTo(1));
            Assert.That(op.GetProperty("op").GetRawText(), Is.EqualTo("[1,\"A\",2]"));
        }
    }

    [Test]
    public async Task AJoinWhileAnOperationIsUnstoredGetsItInItsTextAndNotAgainAsAnOperation()
    {
        await using var instance = new CollaborationInstance(Redis.Connection, startCommitting: false);
        var key = NewKey();
        await CollaborationInstance.CreateAsync(instance.Store, key, "abc");
        var (ana, document) = await instance.JoinAsync(key);
        document.Submit(ana, Op(key, 0, "ana-1", Ops.Insert(3, 3, "!")));

        var (bob, _) = await instance.JoinAsync(key);
        var beforeCommit = bob.Drain();
        instance.StartCommitting();
        var joined = await bob.NextAsync("joined");
        document.Submit(ana, Op(key, 1, "ana-2", Ops.Insert(4, 0, "<")));
        var next = await bob.NextAsync("op");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeCommit, Is.Empty, "the joiner waits for the text to be stored");
            Assert.That(joined.GetProperty("revision").GetInt64(), Is.EqualTo(1));
            Assert.That(joined.GetProperty("content").GetString(), Is.EqualTo("abc!"));
            Assert.That(next.GetProperty("revision").GetInt64(), Is.EqualTo(2), "revision 1 is not sent again");
        }
    }

    /// <summary>What the committer recorded per round, from its metrics.</summary>
    private sealed class CommitRounds : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentQueue<int> _documents = new();
        private readonly ConcurrentQueue<int> _operations = new();

        public CommitRounds()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CollaborationMetrics.Name && instrument.Name.StartsWith("webide.collab.commit.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
                (instrument.Name == "webide.collab.commit.documents" ? _documents : _operations).Enqueue(value));
            _listener.Start();
        }

        public int[] Documents => [.. _documents];

        public int[] Operations => [.. _operations];

        public void Dispose() => _listener.Dispose();
    }
}
