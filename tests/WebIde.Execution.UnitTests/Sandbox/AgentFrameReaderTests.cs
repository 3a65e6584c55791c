using System.Buffers.Binary;
using System.Text;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Sandbox;

public sealed class AgentFrameReaderTests
{
    private static readonly AgentFrame[] Sample =
    [
        new(AgentFrameKind.Stdout, "hello\n"u8.ToArray()),
        new(AgentFrameKind.Stderr, Array.Empty<byte>()),
        new(AgentFrameKind.StepExited, """{"exitCode":0}"""u8.ToArray()),
    ];

    [Test]
    public void FramesSplitAtEveryByteBoundaryComeOutWhole()
    {
        var stream = Sample.SelectMany(frame => frame.ToBytes()).ToArray();
        for (var split = 0; split <= stream.Length; split++)
        {
            var reader = new AgentFrameReader();
            var read = new List<AgentFrame>();
            reader.Append(stream.AsSpan(0, split));
            read.AddRange(Drain(reader));
            reader.Append(stream.AsSpan(split));
            read.AddRange(Drain(reader));

            AssertSameFrames(read, Sample, $"split at byte {split}");
        }
    }

    [Test]
    public void FramesFedOneByteAtATimeComeOutWhole()
    {
        var reader = new AgentFrameReader();
        var read = new List<AgentFrame>();
        foreach (var b in Sample.SelectMany(frame => frame.ToBytes()))
        {
            reader.Append([b]);
            read.AddRange(Drain(reader));
        }

        AssertSameFrames(read, Sample, "byte by byte");
    }

    [Test]
    public void ManyFramesInOneChunkAreAllReadInOrder()
    {
        var frames = Enumerable.Range(0, 5000)
            .Select(i => new AgentFrame(i % 2 == 0 ? AgentFrameKind.Stdout : AgentFrameKind.Stderr, Encoding.UTF8.GetBytes($"line {i}\n")))
            .ToArray();
        var reader = new AgentFrameReader();

        reader.Append(frames.SelectMany(frame => frame.ToBytes()).ToArray());

        AssertSameFrames(Drain(reader), frames, "one chunk");
    }

    [Test]
    public void APayloadLargerThanTheInitialBufferArrivesIntactAcrossChunks()
    {
        var payload = new byte[300 * 1024];
        new Random(7).NextBytes(payload);
        var bytes = new AgentFrame(AgentFrameKind.Stdout, payload).ToBytes();
        var reader = new AgentFrameReader();
        var read = new List<AgentFrame>();

        for (var offset = 0; offset < bytes.Length; offset += 7000)
        {
            reader.Append(bytes.AsSpan(offset, Math.Min(7000, bytes.Length - offset)));
            read.AddRange(Drain(reader));
        }

        Assert.That(read, Has.Count.EqualTo(1));
        Assert.That(read[0].Payload.ToArray(), Is.EqualTo(payload));
    }

    [Test]
    public void AFramesPayloadStaysIntactWhileMoreBytesArrive()
    {
        var reader = new AgentFrameReader();
        reader.Append(new AgentFrame(AgentFrameKind.Stdout, "first"u8.ToArray()).ToBytes());
        Assert.That(reader.TryRead(out var first), Is.True);

        reader.Append(new AgentFrame(AgentFrameKind.Stdout, "SECOND"u8.ToArray()).ToBytes());
        Assert.That(reader.TryRead(out _), Is.True);

        Assert.That(Encoding.UTF8.GetString(first.Payload.Span), Is.EqualTo("first"));
    }

    [Test]
    public void AnIncompleteFrameIsNotRead()
    {
        var reader = new AgentFrameReader();
        var bytes = new AgentFrame(AgentFrameKind.Stdout, "abc"u8.ToArray()).ToBytes();

        reader.Append(bytes.AsSpan(0, bytes.Length - 1));

        Assert.That(reader.TryRead(out _), Is.False);
    }

    [Test]
    public void TheHeaderIsTheKindByteThenABigEndianPayloadLength()
    {
        var bytes = new AgentFrame(AgentFrameKind.Stdin, new byte[258]).ToBytes();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bytes, Has.Length.EqualTo(AgentFrame.HeaderLength + 258));
            Assert.That(bytes[0], Is.EqualTo((byte)'I'));
            Assert.That(bytes[1..5], Is.EqualTo(new byte[] { 0, 0, 1, 2 }));
        }
    }

    [Test]
    public void AFileFrameHoldsTheUtf8PathLengthThePathAndTheContent()
    {
        const string path = "src/café.py";
        var content = "print('hi')\n"u8.ToArray();
        var pathBytes = Encoding.UTF8.GetBytes(path);

        var bytes = AgentFrame.File(path, content).ToBytes();

        var payload = bytes.AsSpan(AgentFrame.HeaderLength);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bytes[0], Is.EqualTo((byte)'F'));
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)), Is.EqualTo(2 + pathBytes.Length + content.Length));
            // The length counts bytes, not characters: é is two.
            Assert.That(BinaryPrimitives.ReadUInt16BigEndian(payload), Is.EqualTo(path.Length + 1));
            Assert.That(payload.Slice(2, pathBytes.Length).ToArray(), Is.EqualTo(pathBytes));
            Assert.That(payload[(2 + pathBytes.Length)..].ToArray(), Is.EqualTo(content));
        }
    }

    [Test]
    public void AnEmptyFileFrameHasOnlyItsPath()
    {
        var bytes = AgentFrame.File("empty.txt", []).ToBytes();

        Assert.That(bytes.AsSpan(AgentFrame.HeaderLength).ToArray(), Is.EqualTo(new byte[] { 0, 9 }.Concat("empty.txt"u8.ToArray())));
    }

    [Test]
    public void ALengthOverTheMaximumIsRefusedAsSoonAsTheHeaderArrives()
    {
        var reader = new AgentFrameReader(maxPayload: 1024);
        var header = new byte[AgentFrame.HeaderLength];
        header[0] = (byte)AgentFrameKind.Stdout;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), 1025);

        reader.Append(header);

        Assert.Throws<InvalidDataException>(() => reader.TryRead(out _));
    }

    [Test]
    public void ALengthAtTheMaximumIsRead()
    {
        var reader = new AgentFrameReader(maxPayload: 1024);

        reader.Append(new AgentFrame(AgentFrameKind.Stdout, new byte[1024]).ToBytes());

        Assert.That(reader.TryRead(out var frame), Is.True);
        Assert.That(frame.Payload.Length, Is.EqualTo(1024));
    }

    [Test]
    public void ALengthBeyondAnIntIsRefusedNotWrappedAround()
    {
        var reader = new AgentFrameReader();

        reader.Append([(byte)AgentFrameKind.Stdout, 0xFF, 0xFF, 0xFF, 0xFF]);

        Assert.Throws<InvalidDataException>(() => reader.TryRead(out _));
    }

    private static List<AgentFrame> Drain(AgentFrameReader reader)
    {
        var frames = new List<AgentFrame>();
        while (reader.TryRead(out var frame))
        {
            frames.Add(frame);
        }
        return frames;
    }

    private static void AssertSameFrames(IReadOnlyList<AgentFrame> actual, IReadOnlyList<AgentFrame> expected, string because)
    {
        Assert.That(actual.Select(frame => frame.Kind), Is.EqualTo(expected.Select(frame => frame.Kind)), because);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.That(actual[i].Payload.ToArray(), Is.EqualTo(expected[i].Payload.ToArray()), $"{because}, frame {i}");
        }
    }
}
