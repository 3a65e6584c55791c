using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace WebIde.ServiceDefaults.Storage;

/// <summary>A round trip to whichever store the service uses.</summary>
internal sealed class StoreHealthCheck(IServiceProvider services, StoreKind kind) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (kind == StoreKind.Sqlite)
            {
                var database = services.GetRequiredService<SqliteDatabase>();
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy($"sqlite {Path.GetFileName(database.DataSource)}");
            }

            var mongo = services.GetRequiredService<IMongoDatabase>();
            await mongo.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy($"mongodb {mongo.DatabaseNamespace.DatabaseName}");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{kind} store unreachable", exception);
        }
    }
}
