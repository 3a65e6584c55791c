using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebIde.ServiceDefaults.Storage;

namespace WebIde.Identity.Storage.Mongo;

/// <summary>
/// Creates the indexes as the service starts, in the background so an unreachable server
/// delays nothing and kills nothing: the stores await the same creation (and retry it) anyway,
/// and the store health check reports the outage.
/// </summary>
public sealed partial class MongoIdentityIndexInitializer(
    IServiceProvider services, StoreDescriptor store, ILogger<MongoIdentityIndexInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.Kind != StoreKind.MongoDb)
        {
            return;
        }

        try
        {
            await services.GetRequiredService<MongoIdentityIndexes>().EnsureCreatedAsync(stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogIndexCreationFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating the identity indexes in MongoDB failed; the first store call retries.")]
    private static partial void LogIndexCreationFailed(ILogger logger, Exception exception);
}
