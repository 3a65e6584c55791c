using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Sockets;

public sealed class WriteCoalescingStreamTests
{
    private MemoryStream _wire = null!;
    private WriteCountingStream _counted = null!;
    private WriteCoalescingStream _stream = null!;

    [SetUp]
    public void Open()
    {
        _wire = new MemoryStream();
        _counted = new WriteCountingStream(_wire);
        _stream = new WriteCoalescingStream(_counted);
    }

    [TearDown]
    public void Close()
    {
        // Each disposes the one below it; all three named for the analyzer.
        _stream.Dispose();
        _counted.Dispose();
        _wire.Dispose();
    }

    [Test]
    public async Task WritesGoStraightThroughWhenNothingIsHeld()
    {
        await _stream.WriteAsync("ab"u8.ToArray());
        await _stream.FlushAsync();
        await _stream.WriteAsync("cd"u8.ToArray());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_wire.ToArray(), Is.EqualTo("abcd"u8.ToArray()));
            Assert.That(_counted.Writes, Is.EqualTo(2));
            Assert.That(_counted.Flushes, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task HeldWritesAndTheirFlushesWaitForTheFirstWriteThatIsNotHeld()
    {
        _stream.HoldWrites = true;
        await _stream.WriteAsync("frame-1|"u8.ToArray());
        await _stream.FlushAsync();
        await _stream.WriteAsync("ping|"u8.ToArray());
        await _stream.FlushAsync();
        Assert.That((_counted.Writes, _counted.Flushes, _wire.Length), Is.EqualTo((0, 0, 0L)), "nothing reaches the transport while held");

        _stream.HoldWrites = false;
        await _stream.WriteAsync("frame-2"u8.ToArray());
        await _stream.FlushAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_wire.ToArray(), Is.EqualTo("frame-1|ping|frame-2"u8.ToArray()), "in the order written");
            Assert.That(_counted.Writes, Is.EqualTo(1));
            Assert.That(_counted.Flushes, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ABatchLargerThanTheFirstBufferIsKeptWhole()
    {
        var random = new Random(7);
        var frames = Enumerable.Range(0, 300).Select(i => new byte[random.Next(1, 2_000)]).ToList();
        frames.ForEach(random.NextBytes);

        for (var i = 0; i < frames.Count; i++)
        {
            _stream.HoldWrites = i < frames.Count - 1;
            await _stream.WriteAsync(frames[i]);
            await _stream.FlushAsync();
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_wire.ToArray(), Is.EqualTo(frames.SelectMany(frame => frame).ToArray()));
            Assert.That(_counted.Writes, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ALargeLastFrameFollowsTheHeldOnesWithoutBeingCopiedBehindThem()
    {
        var document = new byte[1 << 20];
        new Random(3).NextBytes(document);

        _stream.HoldWrites = true;
        await _stream.WriteAsync("op|"u8.ToArray());
        _stream.HoldWrites = false;
        await _stream.WriteAsync(document);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_wire.ToArray(), Is.EqualTo("op|"u8.ToArray().Concat(document).ToArray()));
            Assert.That(_counted.Writes, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task ReadsComeFromTheConnection()
    {
        var (server, client) = DuplexStream.Pair();
        using var stream = new WriteCoalescingStream(server);
        await client.WriteAsync("hello"u8.ToArray());

        var buffer = new byte[5];
        await stream.ReadExactlyAsync(buffer);

        Assert.That(buffer, Is.EqualTo("hello"u8.ToArray()));
    }
}
