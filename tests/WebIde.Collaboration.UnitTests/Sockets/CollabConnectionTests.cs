using WebIde.Collaboration.Sockets;

namespace WebIde.Collaboration.UnitTests.Sockets;

/// <summary>The outbox's bound in bytes: what waits behind the frame a client is receiving.</summary>
public sealed class CollabConnectionTests
{
    private const int Bound = 1_000;

    [Test]
    public void FramesUnderTheBoundAreQueuedInOrder()
    {
        var connection = Connection();
        byte[][] frames = [new byte[400], new byte[400], new byte[400]];

        foreach (var frame in frames)
        {
            connection.Send(frame);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connection.CloseReason, Is.Null, "the first frame is the one being received; 800 bytes wait behind it");
            Assert.That(connection.UnsentBytes, Is.EqualTo(1_200));
            Assert.That(Drain(connection), Is.EqualTo(frames).AsCollection);
        }
    }

    [Test]
    public void AFrameThatWouldPutMoreThanTheBoundBehindClosesTheConnectionWith4008()
    {
        var connection = Connection();
        connection.Send(new byte[10]);
        connection.Send(new byte[Bound]);

        connection.Send(new byte[1]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connection.CloseReason, Is.EqualTo((CollabConnection.TooSlow, "too far behind; reconnect and resume")));
            Assert.That(CollabConnection.TooSlow, Is.EqualTo(4008));
            Assert.That(connection.Closing.IsCancellationRequested, Is.True);
            Assert.That(Drain(connection).Select(frame => frame.Length), Is.EqualTo(new[] { 10, Bound }), "the refused frame is not queued");
        }
    }

    [Test]
    public void AClosedConnectionTakesNoMoreFrames()
    {
        var connection = Connection();
        connection.Send(new byte[1]);
        connection.Send(new byte[Bound + 1]);

        connection.Send(new byte[1]);
        connection.Send(new byte[1]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connection.CloseReason?.Code, Is.EqualTo(CollabConnection.TooSlow));
            Assert.That(Drain(connection), Has.Count.EqualTo(1));
            Assert.That(connection.Outbox.Completion.IsCompleted, Is.True);
        }
    }

    [Test]
    public void AFrameLargerThanTheBoundIsQueuedWhenNothingWaits()
    {
        // A fresh join of a large document: the joined frame can be several MiB.
        var connection = Connection();

        connection.Send(new byte[Bound * 5]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connection.CloseReason, Is.Null);
            Assert.That(connection.UnsentBytes, Is.EqualTo(Bound * 5));
        }
    }

    [Test]
    public void FramesQueuedWhileALargeFrameIsBeingSentCountOnlyThemselves()
    {
        var connection = Connection();
        connection.Send(new byte[Bound * 5]);
        Assert.That(connection.Outbox.TryRead(out _), Is.True, "the sender has taken the joined frame and is writing it");

        for (var i = 0; i < 10; i++)
        {
            connection.Send(new byte[Bound / 10]);
        }

        Assert.That(connection.CloseReason, Is.Null, "the document's operations go on queueing behind its joined frame");
        connection.Send(new byte[1]);
        Assert.That(connection.CloseReason?.Code, Is.EqualTo(CollabConnection.TooSlow), "but only up to the bound");
    }

    [Test]
    public void ALargeFrameQueuedBehindOthersCounts()
    {
        var connection = Connection();
        connection.Send(new byte[1]);

        connection.Send(new byte[Bound + 1]);

        Assert.That(connection.CloseReason?.Code, Is.EqualTo(CollabConnection.TooSlow));
    }

    [Test]
    public void SentFramesFreeTheBudget()
    {
        var connection = Connection();
        connection.Send(new byte[600]);
        connection.Send(new byte[600]);
        Assert.That(connection.UnsentBytes, Is.EqualTo(1_200));

        // The sender writes the first; the second becomes the one being received, and nothing is behind it.
        Assert.That(connection.Outbox.TryRead(out var first), Is.True);
        connection.Sent(first!);
        connection.Send(new byte[600]);
        connection.Send(new byte[400]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connection.CloseReason, Is.Null);
            Assert.That(connection.UnsentBytes, Is.EqualTo(1_600));
        }
        connection.Send(new byte[1]);
        Assert.That(connection.CloseReason?.Code, Is.EqualTo(CollabConnection.TooSlow), "600 + 400 + 1 wait behind the one being received");
    }

    [Test]
    public void ADrainedQueueStartsAfresh()
    {
        var connection = Connection();
        for (var round = 0; round < 100; round++)
        {
            connection.Send(new byte[Bound]);
            connection.Send(new byte[Bound]);
            foreach (var frame in Drain(connection))
            {
                connection.Sent(frame);
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(connection.CloseReason, Is.Null, "a client that keeps up is never cut off, however much it is sent over time");
            Assert.That(connection.UnsentBytes, Is.Zero);
        }
    }

    [Test]
    public void OneFrameQueuedToManyConnectionsIsTheSameArray()
    {
        var frame = new byte[10];
        var connections = Enumerable.Range(0, 3).Select(_ => Connection()).ToList();

        connections.ForEach(connection => connection.Send(frame));

        Assert.That(connections.Select(connection => Drain(connection).Single()), Has.All.SameAs(frame), "encoded once, never copied per member");
    }

    private static CollabConnection Connection() => new(Guid.NewGuid(), Guid.NewGuid(), "ana", null, Bound);

    private static List<byte[]> Drain(CollabConnection connection)
    {
        var frames = new List<byte[]>();
        while (connection.Outbox.TryRead(out var frame))
        {
            frames.Add(frame);
        }
        return frames;
    }
}
