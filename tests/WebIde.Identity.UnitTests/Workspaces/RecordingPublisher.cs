using MassTransit;

namespace WebIde.Identity.UnitTests.Workspaces;

/// <summary>Keeps what is published instead of sending it; each publish is also journaled.</summary>
public sealed class RecordingPublisher(Journal journal) : IPublishEndpoint
{
    private readonly List<object> _published = [];

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

    private Task Record(object message)
    {
        lock (_published)
        {
            _published.Add(message);
        }
        journal.Add($"publish {message.GetType().Name}");
        return Task.CompletedTask;
    }

    public ConnectHandle ConnectPublishObserver(IPublishObserver observer) => throw new NotSupportedException();

    public Task Publish<T>(T message, CancellationToken cancellationToken = default) where T : class => Record(message);

    public Task Publish<T>(T message, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(message);

    public Task Publish<T>(T message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(message);

    public Task Publish(object message, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish(object message, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish(object message, Type messageType, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish(object message, Type messageType, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) => Record(message);

    public Task Publish<T>(object values, CancellationToken cancellationToken = default) where T : class => Record(values);

    public Task Publish<T>(object values, IPipe<PublishContext<T>> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(values);

    public Task Publish<T>(object values, IPipe<PublishContext> publishPipe, CancellationToken cancellationToken = default) where T : class => Record(values);
}
