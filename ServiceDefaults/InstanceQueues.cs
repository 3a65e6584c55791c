using MassTransit;

namespace Microsoft.Extensions.Hosting;

public static class InstanceQueues
{
    /// <summary>
    /// Has this process hear the consumer's events on a queue of its own, gone with the process, instead of
    /// competing with the service's other instances for one delivery: for what acts on the instance's own
    /// sockets, runs or servers.
    /// </summary>
    public static void OnInstanceQueue<T>(this IConsumerRegistrationConfigurator<T> consumer, int? concurrentMessageLimit = null)
        where T : class, IConsumer =>
        consumer.Endpoint(endpoint =>
        {
            endpoint.InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();
            endpoint.Temporary = true;
            if (concurrentMessageLimit is { } limit)
            {
                endpoint.ConcurrentMessageLimit = limit;
            }
        });
}
