using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// A node made before the broker had users of its own has RabbitMQ's <c>guest</c> (password
/// <c>guest</c>), which any process on the machine could use. Once such a node is up, it is
/// deleted with <c>rabbitmqctl</c>, once: a marker file records that it is done. A node made
/// since never has it (definitions are imported instead), so it only gets the marker.
/// </summary>
public static class GuestUserRemoval
{
    public const string MarkerFileName = "guest-removed";

    // rabbitmqctl's exit code for "no such user" (EX_NOUSER).
    private const int NoSuchUser = 67;

    public static IResourceBuilder<LocalRabbitMqResource> WithoutGuestUser(this IResourceBuilder<LocalRabbitMqResource> broker, string home, int epmdPort)
    {
        var marker = Path.Combine(broker.Resource.DataFolder, MarkerFileName);
        if (File.Exists(marker))
        {
            return broker;
        }
        if (!Directory.Exists(Path.Combine(broker.Resource.DataFolder, "mnesia")))
        {
            File.WriteAllText(marker, "a new node: created without guest\n");
            return broker;
        }

        broker.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(broker.Resource, async (ready, cancellationToken) =>
        {
            var logger = ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(broker.Resource);
            var start = new ProcessStartInfo(broker.Resource.ControlScript)
            {
                ArgumentList = { "-n", LocalRabbitMqResource.NodeName, "delete_user", "guest" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["HOME"] = home, ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture) },
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode is 0 or NoSuchUser)
            {
                await File.WriteAllTextAsync(marker, $"guest deleted by rabbitmqctl (exit code {process.ExitCode})\n", cancellationToken);
                logger.LogInformation("RabbitMQ's guest user is gone (rabbitmqctl exit code {ExitCode})", process.ExitCode);
            }
            else
            {
                logger.LogWarning("Deleting RabbitMQ's guest user failed (exit code {ExitCode}): {Output} {Error}; trying again at the next start",
                    process.ExitCode, (await output).Trim(), (await error).Trim());
            }
        });
        return broker;
    }
}
