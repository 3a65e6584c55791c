using System.Collections.Concurrent;
using System.Security.Authentication;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WebIde.ServiceDefaults.Tls;
using WebIde.Tests.Shared.Tls;

namespace WebIde.ServiceDefaults.UnitTests.Tls;

/// <summary>
/// The services' bus, as <c>AddMessaging</c> makes it, to a real RabbitMQ node that listens on TLS only, at an
/// <c>amqps://</c> URI: events go round with the internal CA trusted, and the connection fails on the broker's
/// certificate when another CA is named. The node takes half a minute to boot on a small machine: one for the class.
/// </summary>
[NonParallelizable]
public sealed class BrokerConnectionTlsTests : TwoAuthorities
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private LocalTlsBroker _broker = null!;

    [OneTimeSetUp]
    public async Task StartBrokerAsync()
    {
        _broker = await LocalTlsBroker.TryStartAsync(Authority.Server, TimeSpan.FromSeconds(120))
            ?? throw new IgnoreException("rabbitmq-server is not installed (./webide up installs it)");
    }

    [OneTimeTearDown]
    public async Task StopBrokerAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Test]
    public async Task WithTheInternalCaAnEventGoesRoundOverTls()
    {
        var probe = new TlsProbe(Guid.NewGuid());
        var log = new ExceptionLog();
        using var host = ServiceHost(Authority.AuthorityFile, log);
        // Started once its queue is bound: an event published before would go nowhere.
        host.Services.GetRequiredService<IOptions<MassTransitHostOptions>>().Value.WaitUntilStarted = true;
        await host.StartAsync().WaitAsync(Patience);
        try
        {
            await host.Services.GetRequiredService<IBus>().Publish(probe);

            var received = host.Services.GetRequiredService<ReceivedProbes>().First.Task;
            await Task.WhenAny(received, Task.Delay(Patience));

            Assert.That(received.IsCompletedSuccessfully ? received.Result : null, Is.EqualTo(probe), string.Join("\n", log.Exceptions));
        }
        finally
        {
            await StopAsync(host);
        }
    }

    [Test]
    public async Task ABrokerCertificateOfAnotherCaIsRefused()
    {
        var log = new ExceptionLog();
        using var host = ServiceHost(Stranger.AuthorityFile, log);
        await host.StartAsync();
        try
        {
            var refusal = await log.FirstAuthenticationFailure.Task.WaitAsync(Patience);

            Assert.That(refusal, Is.InstanceOf<AuthenticationException>());
        }
        finally
        {
            await StopAsync(host);
        }
    }

    private IHost ServiceHost(string authorityFile, ExceptionLog log)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["OTEL_SERVICE_NAME"] = $"tls-{Guid.NewGuid():N}";
        builder.Configuration["ConnectionStrings:rabbitmq"] = $"amqps://guest:guest@127.0.0.1:{_broker.Port}/";
        builder.Configuration[InternalCertificateAuthority.Setting] = authorityFile;
        builder.Logging.AddProvider(log);
        builder.Services.AddSingleton<ReceivedProbes>();
        builder.AddMessaging(bus => bus.AddConsumer<TlsProbeConsumer>());
        return builder.Build();
    }

    /// <summary>A bus still trying to connect stops within the timeout too.</summary>
    private static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StopAsync(timeout.Token);
    }

    public sealed record TlsProbe(Guid Id);

    public sealed class ReceivedProbes
    {
        public TaskCompletionSource<TlsProbe> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class TlsProbeConsumer(ReceivedProbes received) : IConsumer<TlsProbe>
    {
        public Task Consume(ConsumeContext<TlsProbe> context)
        {
            received.First.TrySetResult(context.Message);
            return Task.CompletedTask;
        }
    }

    /// <summary>The exceptions anything logs, and the first TLS authentication failure among them (or their causes).</summary>
    private sealed class ExceptionLog : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<Exception> Exceptions { get; } = new();

        public TaskCompletionSource<Exception> FirstAuthenticationFailure { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null)
            {
                Exceptions.Enqueue(exception);
            }
            for (var cause = exception; cause is not null; cause = cause.InnerException)
            {
                if (cause is AuthenticationException)
                {
                    FirstAuthenticationFailure.TrySetResult(cause);
                    return;
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
