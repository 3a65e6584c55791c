using System.Threading.Channels;

namespace WebIde.Identity.Outbox;

/// <summary>
/// Wakes this instance's dispatcher when a message was written, so an event goes out at once
/// instead of at the next poll. Wakes coalesce: one pending wake-up covers every write before it.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _wakes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public void Wake() => _wakes.Writer.TryWrite(true);

    /// <summary>Completes at the next wake-up (at once if one came since the last wait).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _wakes.Reader.ReadAsync(cancellationToken);
    }
}
