using System.Text;
using WebIde.Execution.LanguageServers;

namespace WebIde.Execution.UnitTests.LanguageServers;

public sealed class LspMessageReaderTests
{
    [Test]
    public void MessagesSplitAcrossChunksAndSeveralInOneChunkAreReadWhole()
    {
        var first = LspMessageReader.Frame("""{"id":1}"""u8);
        var second = LspMessageReader.Frame(Encoding.UTF8.GetBytes("""{"text":"é"}"""));
        var stream = first.Concat(second).ToArray();
        var reader = new LspMessageReader(1024);
        var read = new List<string>();

        foreach (var chunk in stream.Chunk(3))
        {
            reader.Append(chunk);
            while (reader.TryRead(out var body))
            {
                read.Add(Encoding.UTF8.GetString(body.Span));
            }
        }

        Assert.That(read, Is.EqualTo(new[] { """{"id":1}""", """{"text":"é"}""" }));
    }

    [Test]
    public void AContentTypeHeaderAndAnyCaseAreAccepted()
    {
        var reader = new LspMessageReader(1024);
        reader.Append("content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"u8);

        Assert.That(reader.TryRead(out var body) && body.Length == 2, Is.True);
    }

    [Test]
    public void AMessageOverTheLimitOrWithoutLengthIsTheServersError()
    {
        var large = new LspMessageReader(10);
        large.Append("Content-Length: 11\r\n\r\n"u8);
        var headless = new LspMessageReader(10);
        headless.Append("Hello: 1\r\n\r\n{}"u8);

        Assert.That(() => large.TryRead(out _), Throws.InstanceOf<InvalidDataException>());
        Assert.That(() => headless.TryRead(out _), Throws.InstanceOf<InvalidDataException>());
    }
}
