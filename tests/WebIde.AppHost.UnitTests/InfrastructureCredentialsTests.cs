using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Infrastructure;

namespace WebIde.AppHost.UnitTests;

/// <summary>
/// Redis, RabbitMQ and MongoDB take only the installation's own credentials (docs/api.md §7),
/// which reach each client in its connection string and never a command line.
/// </summary>
public sealed class InfrastructureCredentialsTests
{
    private static readonly string[] Services = ["identity", "filesystem", "collaboration-1", "collaboration-2", "execution"];

    private static string Secret(string name) => File.ReadAllText(Path.Combine(AppModel.DataDir, "secrets", name)).Trim();

    [Test]
    public async Task LocalRedisAsksForThePasswordFromItsConfigFileNotItsCommandLine()
    {
        await using var builder = await AppModel.BuildAsync();
        var redis = builder.Resource<LocalRedisResource>("redis");
        var args = await redis.ManifestArgumentsAsync();
        var password = Secret("redis-password");

        Assert.Multiple(() =>
        {
            Assert.That(args[0], Is.EqualTo(Path.Combine(AppModel.DataDir, "redis", LocalRedisResource.ConfigFileName)), "redis-server reads a config file given first");
            Assert.That(File.ReadAllText(args[0]), Does.Contain($"requirepass {password}\n"));
            Assert.That(args, Has.None.Contains(password), "ps shows every process's command line to every user");
            Assert.That(args, Has.None.Contains("requirepass"));
            Assert.That(redis.ConnectionStringExpression.ValueExpression, Does.EndWith(",password={redis-password.value}"));
        });
    }

    [Test]
    public async Task EveryServiceAndTheGatewayReachRedisWithItsPassword()
    {
        await using var builder = await AppModel.BuildAsync();

        foreach (var name in Services.Append("gateway"))
        {
            var project = builder.Resource<ProjectResource>(name);
            var references = project.Annotations.OfType<ResourceRelationshipAnnotation>().Select(relation => relation.Resource);
            var redis = references.OfType<LocalRedisResource>().FirstOrDefault();
            Assert.That(redis, Is.Not.Null, $"{name} does not reference redis");
            Assert.That(redis!.ConnectionStringExpression.ValueExpression, Does.Contain("password="), name);
        }
    }

    [TestCase("local")]
    [TestCase("containers")]
    public async Task RedisIsBoundedAndEvictsNothingAndAppendsEveryWrite(string mode)
    {
        await using var builder = await AppModel.BuildAsync($"--WebIde:Mode={mode}");
        IResource redis = mode == "local" ? builder.Resource<LocalRedisResource>("redis") : builder.Resource<RedisResource>("redis");

        var command = string.Join(' ', await redis.ManifestArgumentsAsync());

        Assert.That(command, Does.Contain("--appendonly yes --appendfsync everysec").And.Contain("--maxmemory 512mb").And.Contain("--maxmemory-policy noeviction"));
    }

    [Test]
    public async Task RedisAndRabbitMqKeepTheirDataInTheSameFoldersAtEveryStart()
    {
        // What Redis appended and the broker's durable queues survive a restart only if the next start reads the same folder.
        var first = await DataFoldersAsync();
        var second = await DataFoldersAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(first.Redis, Is.EqualTo(Path.Combine(AppModel.DataDir, "redis")));
            Assert.That(first.Mnesia, Is.EqualTo(Path.Combine(AppModel.DataDir, "rabbitmq", "mnesia")));
        }
    }

    private static async Task<(string Redis, string Mnesia, string Node)> DataFoldersAsync()
    {
        await using var builder = await AppModel.BuildAsync();
        var redis = await builder.Resource<LocalRedisResource>("redis").ManifestArgumentsAsync();
        var broker = await builder.Resource<LocalRabbitMqResource>("rabbitmq").ManifestEnvironmentAsync();
        return (redis[redis.IndexOf("--dir") + 1], broker["RABBITMQ_MNESIA_BASE"], broker["RABBITMQ_NODENAME"]);
    }

    [Test]
    public async Task RedisMaxMemoryCanBeConfigured()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Redis:MaxMemory=2GB");

        var args = await builder.Resource<LocalRedisResource>("redis").ManifestArgumentsAsync();

        Assert.That(string.Join(' ', args), Does.Contain("--maxmemory 2gb "));
    }

    [TestCase("0")]
    [TestCase("lots")]
    [TestCase("-1mb")]
    public void AMaxMemoryThatIsNotASizeIsRefused(string value)
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => AppModel.BuildAsync($"--WebIde:Redis:MaxMemory={value}"));

        Assert.That(error!.Message, Does.Contain("WebIde:Redis:MaxMemory"));
    }

    [Test]
    public async Task EachServiceConnectsToTheLocalBrokerAsItsOwnUser()
    {
        await using var builder = await AppModel.BuildAsync();

        var connections = new Dictionary<string, string>();
        foreach (var service in Services)
        {
            connections[service] = (await builder.Resource<ProjectResource>(service).ManifestEnvironmentAsync())["ConnectionStrings__rabbitmq"];
        }

        Assert.Multiple(() =>
        {
            foreach (var (service, connection) in connections)
            {
                Assert.That(connection, Does.StartWith($"amqp://{service}:{{rabbitmq-{service}-password.value}}@"), service);
            }
            Assert.That(connections.Values, Has.None.Contains("guest"));
            Assert.That(builder.Resource<LocalRabbitMqResource>("rabbitmq").ConnectionStringExpression.ValueExpression, Does.StartWith("amqp://webide:{rabbitmq-webide-password.value}@"));
        });
    }

    [Test]
    public async Task TheBrokerImportsTheUsersWithHashesOfTheirPasswordsAndNoGuest()
    {
        await using var builder = await AppModel.BuildAsync();
        var broker = builder.Resource<LocalRabbitMqResource>("rabbitmq");

        await broker.WriteDefinitionsAsync(CancellationToken.None);

        var definitions = JsonNode.Parse(File.ReadAllText(broker.DefinitionsFile))!;
        var users = definitions["users"]!.AsArray().ToDictionary(user => (string)user!["name"]!, user => user!);
        var permitted = definitions["permissions"]!.AsArray().Select(permission => (string)permission!["user"]!);
        var config = File.ReadAllText(Path.Combine(broker.DataFolder, "rabbitmq.conf"));
        Assert.Multiple(() =>
        {
            Assert.That(users.Keys, Is.EquivalentTo(Services.Append("webide")));
            Assert.That(permitted, Is.EquivalentTo(Services.Append("webide")));
            foreach (var (name, user) in users)
            {
                var hash = Convert.FromBase64String((string)user["password_hash"]!);
                var password = Secret($"rabbitmq-{name}-password");
                Assert.That((string)user["hashing_algorithm"]!, Is.EqualTo("rabbit_password_hashing_sha256"));
                Assert.That(hash[4..], Is.EqualTo(SHA256.HashData([.. hash[..4], .. Encoding.UTF8.GetBytes(password)])), $"{name}'s hash is not of its password");
                Assert.That(File.ReadAllText(broker.DefinitionsFile), Does.Not.Contain(password));
            }
            Assert.That(config, Does.Contain("definitions.import_backend = local_filesystem").And.Contain($"definitions.local.path = {broker.DefinitionsFile}"));
            Assert.That(config, Does.Not.Contain("default_user"));
        });
    }

    [Test]
    public async Task ContainersModeRedisRabbitMqAndMongoTakeTheInstallationsCredentials()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Mode=containers");

        var redis = builder.Resource<RedisResource>("redis");
        var rabbitmq = builder.Resource<RabbitMQServerResource>("rabbitmq");
        var mongo = builder.Resource<MongoServerResource>("mongo");
        var mongoEnvironment = await mongo.ManifestEnvironmentAsync();

        Assert.Multiple(async () =>
        {
            Assert.That(redis.PasswordParameter?.Name, Is.EqualTo("redis-password"));
            Assert.That(await redis.PasswordParameter!.GetValueAsync(CancellationToken.None), Is.EqualTo(Secret("redis-password")));
            Assert.That(await rabbitmq.UserNameReference.GetValueAsync(CancellationToken.None), Is.EqualTo("webide"));
            Assert.That(rabbitmq.PasswordParameter.Name, Is.EqualTo("rabbitmq-webide-password"));
            Assert.That(await rabbitmq.PasswordParameter.GetValueAsync(CancellationToken.None), Is.EqualTo(Secret("rabbitmq-webide-password")));
            Assert.That(mongoEnvironment["MONGO_INITDB_ROOT_USERNAME"], Is.EqualTo("webide"));
            Assert.That(mongoEnvironment["MONGO_INITDB_ROOT_PASSWORD"], Is.EqualTo("{mongo-password.value}"));
            Assert.That(mongo.ConnectionStringExpression.ValueExpression, Does.StartWith("mongodb://webide:{mongo-password.value}@"));
        });
    }
}
