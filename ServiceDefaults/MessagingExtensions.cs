using System.Net.Security;
using System.Security.Authentication;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WebIde.ServiceDefaults.Tls;

namespace Microsoft.Extensions.Hosting;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over the RabbitMQ named <paramref name="connectionName"/>. Each service
    /// gets its own queues (prefixed by its name), so every service sees every event it
    /// consumes; trace context travels in message headers. An <c>amqps://</c> URI goes over TLS
    /// (<see cref="ConfigureTls"/>).
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configureConsumers = null,
        string connectionName = "rabbitmq")
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing: the AppHost passes it with WithReference.");
        var address = new Uri(connectionString);
        var authority = builder.GetInternalCertificateAuthority();
        var endpointPrefix = builder.GetServiceName();

        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(endpointPrefix, includeNamespace: false));
            configureConsumers?.Invoke(bus);

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(address, host => ConfigureTls(host, address, authority));
                rabbit.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
                rabbit.ConfigureEndpoints(context);
            });
        });

        return builder;
    }

    /// <summary>
    /// For an <c>amqps://</c> URI (port 5671 unless it names one): TLS 1.2 or 1.3 to the broker, whose certificate must
    /// name the URI's host and, with an internal CA (<c>WebIde:Tls:CaFile</c>), chain to it; otherwise to the
    /// machine's trust store. An <c>amqp://</c> URI stays plain text, unless it names port 5671, which MassTransit
    /// takes for TLS: that is checked the same way.
    /// </summary>
    public static void ConfigureTls(IRabbitMqHostConfigurator host, Uri address, InternalCertificateAuthority? authority)
    {
        if (!string.Equals(address.Scheme, "amqps", StringComparison.OrdinalIgnoreCase) && address.Port != 5671)
        {
            return;
        }
        host.UseSsl(ssl =>
        {
            ssl.ServerName = address.Host;
            ssl.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
            // MassTransit accepts a certificate of an unknown chain by default: any server could then pose as the broker.
            ssl.EnforcePolicyErrors(SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable);
            if (authority is not null)
            {
                ssl.CertificateValidationCallback = authority.Validate;
            }
        });
    }
}
