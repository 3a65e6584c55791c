namespace Microsoft.Extensions.Hosting;

public static class RedisClientExtensions
{
    /// <summary>
    /// The shared Redis, from the connection string <c>redis</c> (StackExchange.Redis syntax: <c>host:port,password=…</c>;
    /// a deployment that asks for TLS adds <c>ssl=true</c>, and <c>sslHost=…</c> when the certificate names another
    /// host than the one dialled). With an internal CA (<c>WebIde:Tls:CaFile</c>) the server is checked against it.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformRedis(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        var authority = builder.GetInternalCertificateAuthority();
        builder.AddRedisClient(connectionName, configureOptions: options =>
        {
            if (authority is not null)
            {
                options.CertificateValidation += authority.Validate;
            }
        });
        return builder;
    }
}
