using MassTransit;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>
/// Keeps what is published instead of sending it; each publish is also journaled. While the
/// broker is <see cref="Down"/> a publish fails as MassTransit's does, or with
/// <see cref="Hangs"/> waits until it is cancelled (MassTransit waiting for a connection).
/// </summary>
public sealed class RecordingPublisher(Journal journal) : IPublishEndpoint
{
    private readonly List<object> _published = [];
    private int _attempts;

    public bool Down { get; set; }

    public bool Hangs { get; set; }

    /// <summary>Every publish tried, failed ones included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public IReadOnlyList<object> Published
    {
        get
        {
            lock (_published)
            {
                return [.. _published];
            }
        }
    }

    public IReadOnlyList<T> Of<T>() => Published.OfType<T>().ToList();

    private async Task Record(object message, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _attempts);
        if (Hangs)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        if (Down)
        {
            throw new InvalidOperationException("The broker is unreachable.");
        }
        lock (_published)
        {
            _published.Add(message);
        }
        journal.Add($"publish {message.GetType().Name}");
    }

    public ConnectHandle ConnectPublishObserver(IPublishObserver observer) => throw new NotSupportedException();

    public Task Publish<T>(T message, CancellationToken cancellationToken = default) where T : class => Record(message, cancellationToken);

    public Task Publish<T>(T message, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(message, cancellationToken);

    public Task Publish<T>(T message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(message, cancellationToken);

    public Task Publish(object message, CancellationToken cancellationToken = default) => Record(message, cancellationToken);

    public Task Publish(object message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Record(message, cancellationToken);

    public Task Publish(object message, Type messageType, CancellationToken cancellationToken = default) => Record(message, cancellationToken);

    public Task Publish(object message, Type messageType, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Record(message, cancellationToken);

    public Task Publish<T>(object values, CancellationToken cancellationToken = default) where T : class => Record(values, cancellationToken);

    public Task Publish<T>(object values, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(values, cancellationToken);

    public Task Publish<T>(object values, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(values, cancellationToken);
}
