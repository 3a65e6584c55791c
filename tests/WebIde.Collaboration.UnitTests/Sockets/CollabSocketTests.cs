using System.Net.WebSockets;
using System.Text;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Sockets;

/// <summary>An editor's socket end to end over an in-memory connection: what the client receives, and how it was written.</summary>
public sealed class CollabSocketTests
{
    private const int BatchBytes = 64 * 1024;

    private static string Js(string text) => JavaScriptJson.Stringify(text);

    [Test]
    public async Task QueuedFramesArriveIntactAndInOrderInFewWrites()
    {
        var frames = Frames(count: 500, seed: 1);
        await using var served = ServedSocket.Start(connection => frames.ForEach(connection.Send));

        var received = await ReceiveAsync(served, frames.Count);

        var total = frames.Sum(frame => frame.Length);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(frames).AsCollection);
            // A batch closes at 64 KiB or with the frame that crosses it; one frame of a batch may cross it.
            Assert.That(served.Wire.Writes, Is.LessThanOrEqualTo((total / BatchBytes) + 1), $"{frames.Count} frames, {total} bytes");
            Assert.That(served.Wire.Flushes, Is.EqualTo(served.Wire.Writes), "the WebSocket's flush after each frame is made once a batch");
        }
        TestContext.Out.WriteLine($"{frames.Count} frames ({total} bytes): {served.Wire.Writes} writes, {served.Wire.Flushes} flushes");
    }

    [Test]
    public async Task WithoutCoalescingEveryFrameIsAWriteAndAFlushOfItsOwn()
    {
        // What the coalescing saves: .NET's WebSocket writes and flushes each frame alone.
        var frames = Frames(count: 500, seed: 1);
        await using var served = ServedSocket.Start(connection => frames.ForEach(connection.Send), coalesce: false);

        var received = await ReceiveAsync(served, frames.Count);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(frames).AsCollection);
            Assert.That(served.Wire.Writes, Is.EqualTo(frames.Count));
            Assert.That(served.Wire.Flushes, Is.EqualTo(frames.Count));
        }
    }

    [Test]
    public async Task FramesQueuedWhileOthersAreSentAllArriveInOrder()
    {
        var frames = Frames(count: 2_000, seed: 2);
        await using var served = ServedSocket.Start();

        var queueing = Task.Run(async () =>
        {
            foreach (var chunk in frames.Chunk(37))
            {
                foreach (var frame in chunk)
                {
                    served.Connection.Send(frame);
                }
                await Task.Yield();
            }
        });
        var received = await ReceiveAsync(served, frames.Count);
        await queueing;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(frames).AsCollection);
            Assert.That(served.Connection.CloseReason, Is.Null);
            Assert.That(served.Wire.Writes, Is.LessThanOrEqualTo(frames.Count));
        }
        TestContext.Out.WriteLine($"{frames.Count} frames queued in bursts of 37: {served.Wire.Writes} writes");
    }

    [TestCase(5_000)]
    [TestCase(300_000)]
    [TestCase((1 << 20) - 200)]
    public async Task AMessageLargerThanTheFirstBufferIsReadWhole(int insertLength)
    {
        // The receive buffer starts at a few KiB and grows for a large message, up to the limit.
        await using var served = ServedSocket.Start();
        var insert = new string('x', insertLength);

        await served.SendAsync($$"""{"type":"op","path":"big.py","revision":0,"id":"op-big","op":["{{insert}}"]}""");
        var error = Encoding.UTF8.GetString((await served.ReceiveAsync())!);
        await served.SendAsync("""{"type":"op","path":"small.py","revision":0,"id":"op-small","op":[1]}""");
        var next = Encoding.UTF8.GetString((await served.ReceiveAsync())!);

        using (Assert.EnterMultipleScope())
        {
            // Read and understood (not too_large): refused only because the document is not joined.
            Assert.That(error, Does.Contain("\"code\":\"not_found\"").And.EndWith(""","id":"op-big","path":"big.py"}"""));
            Assert.That(next, Does.EndWith(""","id":"op-small","path":"small.py"}"""));
        }
    }

    [Test]
    public async Task AFrameLargerThanABatchGoesOutWhole()
    {
        var large = Encoding.UTF8.GetBytes("\"" + new string('x', 3 << 20) + "\"");
        byte[][] frames = [large, [.. "1"u8], [.. "2"u8]];
        await using var served = ServedSocket.Start(connection => frames.ToList().ForEach(connection.Send), maxQueuedBytes: 64 << 10);

        var received = await ReceiveAsync(served, frames.Length);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(frames).AsCollection);
            Assert.That(served.Connection.CloseReason, Is.Null, "a joined frame larger than the bound is not refused for its size");
        }
    }

    [Test]
    public async Task SendingFreesTheBudgetForMore()
    {
        const int bound = 64 << 10;
        await using var served = ServedSocket.Start(maxQueuedBytes: bound);
        var frame = new byte[bound * 9 / 10];
        Array.Fill(frame, (byte)'7');

        for (var round = 0; round < 20; round++)
        {
            served.Connection.Send(frame);
            served.Connection.Send(frame);
            Assert.That(await ReceiveAsync(served, 2), Has.All.EqualTo(frame));
            await WaitUntilAsync(() => served.Connection.UnsentBytes == 0);
        }

        Assert.That(served.Connection.CloseReason, Is.Null, "36 bounds' worth went through a client that kept up");
    }

    [Test]
    public async Task AClientTooFarBehindIsClosedWith4008AfterWhatWasQueued()
    {
        byte[][] frames = [[.. "{}"u8], new byte[1000], [.. "[]"u8]];
        await using var served = ServedSocket.Start(connection =>
        {
            connection.Send(frames[0]);
            connection.Send(frames[1]);
            connection.Send(frames[2]);
            connection.Send(new byte[64 << 10]);
        }, maxQueuedBytes: 64 << 10);

        var received = await ReceiveAsync(served, 3);
        var after = await served.ReceiveAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Is.EqualTo(frames).AsCollection);
            Assert.That(after, Is.Null, "then the close");
            Assert.That((int?)served.Client.CloseStatus, Is.EqualTo(4008));
            Assert.That(served.Client.CloseStatusDescription, Is.EqualTo("too far behind; reconnect and resume"));
        }
    }

    [Test]
    public async Task KeepAlivesGoOutWhileNothingIsQueued()
    {
        await using var served = ServedSocket.Start(keepAlive: TimeSpan.FromMilliseconds(20));
        var receiving = served.ReceiveAsync();

        await WaitUntilAsync(() => served.Wire.Writes >= 3);

        Assert.That(receiving.IsCompleted, Is.False, "keep-alives are control frames, not messages");
        served.Connection.Send([.. "{}"u8]);
        Assert.That(await receiving, Is.EqualTo("{}"u8.ToArray()), "and frames still go out after them");
    }

    [Test]
    public async Task AnOpForADocumentNotJoinedIsRefusedWithItsIdAndPath()
    {
        const string path = "src/\"é\"\ud83d 漢.py";
        await using var served = ServedSocket.Start();

        await served.SendAsync($$"""{"type":"op","path":{{Js(path)}},"revision":0,"id":"op-1","op":[1]}""");

        Assert.That(await served.ReceiveAsync(), Is.EqualTo(JavaScriptJson.Utf8(
            $$"""{"type":"error","code":"not_found","message":{{Js(path + " is not joined on this connection; join it first")}},"id":"op-1","path":{{Js(path)}}}""")));
    }

    [Test]
    public async Task AMalformedMessageIsRefusedWithThePathItNamed()
    {
        await using var served = ServedSocket.Start();

        await served.SendAsync("""{"type":"op","path":"a.py","revision":0,"id":"op-2","op":[0]}""");

        var error = Encoding.UTF8.GetString((await served.ReceiveAsync())!);
        Assert.That(error, Does.StartWith("""{"type":"error","code":"invalid_op","message":""").And.EndWith(""","id":"op-2","path":"a.py"}"""));
    }

    [Test]
    public async Task AFrameThatIsNotJsonIsRefusedWithoutAPath()
    {
        await using var served = ServedSocket.Start();

        await served.SendAsync("""{"type":"leave","path":""");

        var error = Encoding.UTF8.GetString((await served.ReceiveAsync())!);
        Assert.That(error, Does.StartWith("""{"type":"error","code":"invalid_op","message":""").And.Not.Contain("\"path\"").And.Not.Contain("\"id\""));
    }

    /// <summary>Operation-like frames of 20 to 600 bytes, each different.</summary>
    private static List<byte[]> Frames(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => Encoding.UTF8.GetBytes($$"""{"type":"op","path":"a.py","revision":{{i}},"op":[{{i}},"{{new string((char)('a' + (i % 26)), random.Next(0, 560))}}"]}"""))
            .ToList();
    }

    private static async Task<List<byte[]>> ReceiveAsync(ServedSocket served, int count)
    {
        var received = new List<byte[]>(count);
        while (received.Count < count)
        {
            received.Add(await served.ReceiveAsync() ?? throw new AssertionException($"closed after {received.Count} of {count} frames"));
        }
        return received;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException("timed out waiting");
            }
            await Task.Delay(5);
        }
    }
}
