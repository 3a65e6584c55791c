using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace WebIde.Tests.Shared;

/// <summary>
/// One consumer on MassTransit's in-memory test harness, resolved from a container that
/// validates scopes as the service's own does, so a consumer that captures a scoped service fails here.
/// </summary>
public sealed class ConsumerTestBus<TConsumer>(ServiceProvider services) : IAsyncDisposable
    where TConsumer : class, IConsumer
{
    private readonly ServiceProvider _services = services;

    public ITestHarness Harness { get; } = services.GetRequiredService<ITestHarness>();

    /// <param name="addDependencies">What the consumer needs besides logging.</param>
    public static async Task<ConsumerTestBus<TConsumer>> StartAsync(Action<IServiceCollection> addDependencies)
    {
        var collection = new ServiceCollection().AddLogging();
        addDependencies(collection);
        var bus = new ConsumerTestBus<TConsumer>(collection
            .AddMassTransitTestHarness(configure => configure.AddConsumer<TConsumer>())
            .BuildServiceProvider(validateScopes: true));
        await bus.Harness.Start();
        return bus;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _services.DisposeAsync();
    }
}
