using System.Net;

namespace WebIde.Execution.UnitTests.Grpc;

/// <summary>
/// A request body that sends its first bytes and then stays open, as a client still uploading a
/// long message would, until it is disposed. A server that answers while it is open has judged the
/// request by what it had, without waiting for the rest.
/// </summary>
public sealed class OpenRequestBody(byte[] first) : HttpContent
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(first);
        await stream.FlushAsync();
        await _closed.Task;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        _closed.TrySetResult();
        base.Dispose(disposing);
    }
}
