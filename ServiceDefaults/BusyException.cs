namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Work this instance refused because it could not start it in time (its slots were taken): the
/// request is answered 503 with <c>Retry-After</c> (<see cref="DependencyFailures"/>) at once, rather
/// than queued until the client has timed out and retried, which only adds to the queue.
/// </summary>
public sealed class BusyException(string message) : Exception(message);
